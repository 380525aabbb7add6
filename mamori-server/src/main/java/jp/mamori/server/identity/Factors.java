package jp.mamori.server.identity;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * The factors a sign-in can carry, as Spring Security factor authorities, and their names in the
 * {@code amr} claim (RFC 8176).
 */
public final class Factors {

    public static final String PASSWORD = FactorGrantedAuthority.PASSWORD_AUTHORITY;
    public static final String WEBAUTHN = FactorGrantedAuthority.WEBAUTHN_AUTHORITY;
    public static final String TOTP = "FACTOR_TOTP";
    public static final String RECOVERY_CODE = "FACTOR_RECOVERY_CODE";
    public static final String IC_CARD = "FACTOR_IC_CARD";
    public static final String PIN = "FACTOR_PIN";
    public static final String BREAK_GLASS = "FACTOR_BREAK_GLASS";

    private Factors() {}

    public static Set<String> of(Authentication authentication) {
        Set<String> factors = new LinkedHashSet<>();
        for (GrantedAuthority a : authentication.getAuthorities()) {
            String name = a.getAuthority();
            if (name != null && name.startsWith("FACTOR_")) {
                factors.add(name);
            }
        }
        return factors;
    }

    /** True when the factors together are two of knowledge, possession and inherence. */
    public static boolean multiFactor(Set<String> factors) {
        return factors.contains(WEBAUTHN)
                || (factors.contains(IC_CARD) && factors.contains(PIN))
                || (factors.contains(PASSWORD) && (factors.contains(TOTP) || factors.contains(RECOVERY_CODE)));
    }

    /** Authentication method references (RFC 8176) for the ID token. */
    public static List<String> amr(Set<String> factors) {
        Set<String> amr = new LinkedHashSet<>();
        for (String f : factors) {
            switch (f) {
                case PASSWORD -> amr.add("pwd");
                case TOTP -> amr.add("otp");
                case RECOVERY_CODE -> amr.add("otp");
                case WEBAUTHN -> {
                    amr.add("hwk");
                    amr.add("user");
                }
                case IC_CARD -> amr.add("sc");
                case PIN -> amr.add("pin");
                default -> {}
            }
        }
        if (multiFactor(factors)) {
            amr.add("mfa");
        }
        return List.copyOf(amr);
    }

    /** The authentication context class: {@code mamori:mfa}, {@code mamori:pwd} or {@code mamori:emergency}. */
    public static String acr(Set<String> factors) {
        if (factors.contains(BREAK_GLASS)) {
            return "mamori:emergency";
        }
        return multiFactor(factors) ? "mamori:mfa" : "mamori:pwd";
    }
}
