package jp.mamori.server.identity;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;

/**
 * The per-role sign-in policy: an account whose roles demand two factors gets in only with two
 * (password + TOTP or recovery code, a passkey, or IC card + PIN); a break-the-glass sign-in is
 * accepted until it expires.
 */
@Component
class FactorPolicyAuthorization implements AuthorizationManager<RequestAuthorizationContext>, SignInPolicy {

    private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();
    private final Clock clock;
    private final Duration breakGlassDuration;

    FactorPolicyAuthorization(Clock clock, BreakGlassSettings settings) {
        this.clock = clock;
        this.breakGlassDuration = settings.duration();
    }

    @Override
    public AuthorizationResult authorize(
            Supplier<? extends @Nullable Authentication> authentication, RequestAuthorizationContext context) {
        return new AuthorizationDecision(satisfied(authentication.get()));
    }

    @Override
    public boolean satisfied(@Nullable Authentication auth) {
        if (auth == null || !auth.isAuthenticated() || trust.isAnonymous(auth)) {
            return false;
        }
        if (!(auth.getPrincipal() instanceof MamoriPrincipal principal)) {
            return false;
        }
        for (GrantedAuthority a : auth.getAuthorities()) {
            if (a instanceof FactorGrantedAuthority f && Factors.BREAK_GLASS.equals(f.getAuthority())) {
                return clock.instant().isBefore(f.getIssuedAt().plus(breakGlassDuration));
            }
        }
        Set<String> factors = Factors.of(auth);
        if (principal.secondFactorRequired()) {
            return Factors.multiFactor(factors);
        }
        return !factors.isEmpty();
    }

    /** Signed in with a first factor but still short of what the policy needs. */
    @Override
    public boolean needsMoreFactors(@Nullable Authentication auth) {
        return auth != null
                && auth.isAuthenticated()
                && !trust.isAnonymous(auth)
                && auth.getPrincipal() instanceof MamoriPrincipal
                && !satisfied(auth);
    }
}
