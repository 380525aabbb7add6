package jp.mamori.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

class FactorPolicyAuthorizationTest {

    private static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");
    private final FactorPolicyAuthorization policy = new FactorPolicyAuthorization(
            Clock.fixed(NOW, ZoneOffset.UTC), new BreakGlassSettings(Duration.ofMinutes(60)));

    private static UsernamePasswordAuthenticationToken auth(boolean twoFactorRole, Instant issued, String... factors) {
        MamoriPrincipal p =
                new MamoriPrincipal(1, "u", "U", JobType.NURSE, Set.of("NURSE"), false, twoFactorRole, null, null);
        List<GrantedAuthority> list = new ArrayList<>();
        for (String f : factors) {
            list.add(FactorGrantedAuthority.withAuthority(f).issuedAt(issued).build());
        }
        return UsernamePasswordAuthenticationToken.authenticated(p, null, list);
    }

    @Test
    void a_two_factor_role_needs_two_kinds_of_factor() {
        assertThat(policy.satisfied(auth(true, NOW, Factors.PASSWORD))).isFalse();
        assertThat(policy.satisfied(auth(true, NOW, Factors.TOTP))).isFalse();
        assertThat(policy.satisfied(auth(true, NOW, Factors.IC_CARD))).isFalse();
        assertThat(policy.satisfied(auth(true, NOW, Factors.PIN))).isFalse();
        assertThat(policy.satisfied(auth(true, NOW, Factors.PASSWORD, Factors.TOTP)))
                .isTrue();
        assertThat(policy.satisfied(auth(true, NOW, Factors.PASSWORD, Factors.RECOVERY_CODE)))
                .isTrue();
        assertThat(policy.satisfied(auth(true, NOW, Factors.IC_CARD, Factors.PIN)))
                .isTrue();
        assertThat(policy.satisfied(auth(true, NOW, Factors.WEBAUTHN))).isTrue();
    }

    @Test
    void the_card_alone_never_suffices_even_for_a_one_factor_role() {
        assertThat(policy.satisfied(auth(false, NOW, Factors.IC_CARD))).isFalse();
        assertThat(policy.satisfied(auth(false, NOW, Factors.PASSWORD))).isTrue();
    }

    @Test
    void break_the_glass_lasts_its_duration_only() {
        assertThat(policy.satisfied(
                        auth(true, NOW.minus(Duration.ofMinutes(59)), Factors.PASSWORD, Factors.BREAK_GLASS)))
                .isTrue();
        assertThat(policy.satisfied(
                        auth(true, NOW.minus(Duration.ofMinutes(61)), Factors.PASSWORD, Factors.BREAK_GLASS)))
                .isFalse();
    }
}
