package jp.mamori.server.identity;

import java.time.Clock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AllRequiredFactorsAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ConditionalAuthorizationManager;
import org.springframework.security.authorization.RequiredFactor;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;

/**
 * The per-role sign-in policy, in Spring Security's multi-factor terms. An account whose roles
 * demand two factors gets in with any of: password + TOTP, password + recovery code, a passkey (the
 * platform authenticator verifies the user), IC card + PIN. Any account gets in for a limited time
 * by break-the-glass. Otherwise one factor is enough.
 */
@Component
class FactorPolicyAuthorization implements AuthorizationManager<RequestAuthorizationContext>, SignInPolicy {

    private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();
    private final AuthorizationManager<RequestAuthorizationContext> policy;

    FactorPolicyAuthorization(Clock clock, BreakGlassSettings settings) {
        AllRequiredFactorsAuthorizationManager<RequestAuthorizationContext> breakGlass = all(
                clock,
                RequiredFactor.withAuthority(Factors.BREAK_GLASS)
                        .validDuration(settings.duration())
                        .build());
        AuthorizationManager<RequestAuthorizationContext> twoFactors = AllRequiredFactorsAuthorizationManager.anyOf(
                all(clock, factor(Factors.PASSWORD), factor(Factors.TOTP)),
                all(clock, factor(Factors.PASSWORD), factor(Factors.RECOVERY_CODE)),
                all(clock, factor(Factors.WEBAUTHN)),
                all(clock, factor(Factors.IC_CARD), factor(Factors.PIN)),
                breakGlass);
        AuthorizationManager<RequestAuthorizationContext> oneFactor = AllRequiredFactorsAuthorizationManager.anyOf(
                all(clock, factor(Factors.PASSWORD)),
                all(clock, factor(Factors.WEBAUTHN)),
                all(clock, factor(Factors.IC_CARD), factor(Factors.PIN)),
                breakGlass);
        this.policy = ConditionalAuthorizationManager.<RequestAuthorizationContext>when(
                        auth -> auth.getPrincipal() instanceof MamoriPrincipal p && p.secondFactorRequired())
                .whenTrue(twoFactors)
                .whenFalse(oneFactor)
                .build();
    }

    private static RequiredFactor factor(String authority) {
        return RequiredFactor.withAuthority(authority).build();
    }

    private static AllRequiredFactorsAuthorizationManager<RequestAuthorizationContext> all(
            Clock clock, RequiredFactor... factors) {
        AllRequiredFactorsAuthorizationManager.Builder<RequestAuthorizationContext> b =
                AllRequiredFactorsAuthorizationManager.builder();
        for (RequiredFactor f : factors) {
            b.requireFactor(f);
        }
        AllRequiredFactorsAuthorizationManager<RequestAuthorizationContext> m = b.build();
        m.setClock(clock);
        return m;
    }

    @Override
    public AuthorizationResult authorize(
            Supplier<? extends @Nullable Authentication> authentication, RequestAuthorizationContext context) {
        return new AuthorizationDecision(satisfied(authentication.get()));
    }

    @Override
    public boolean satisfied(@Nullable Authentication auth) {
        if (auth == null
                || !auth.isAuthenticated()
                || trust.isAnonymous(auth)
                || !(auth.getPrincipal() instanceof MamoriPrincipal)) {
            return false;
        }
        AuthorizationResult result = policy.authorize(() -> auth, null);
        return result != null && result.isGranted();
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
