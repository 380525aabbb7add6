package jp.mamori.server.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;

/**
 * A sign-in whose every factor was given within the last few minutes ({@code
 * mamori.webauthn.fresh-sign-in}). Registering a passkey asks for it, so that a session left open
 * on a ward PC cannot be used to add someone else's passkey to the account.
 */
@Component
class FreshSignIn implements AuthorizationManager<RequestAuthorizationContext> {

    private final Clock clock;
    private final PasskeySettings settings;

    FreshSignIn(Clock clock, PasskeySettings settings) {
        this.clock = clock;
        this.settings = settings;
    }

    boolean fresh(@Nullable Authentication auth) {
        if (auth == null) {
            return false;
        }
        Instant since = clock.instant().minus(settings.freshSignIn());
        boolean any = false;
        for (GrantedAuthority a : auth.getAuthorities()) {
            if (a instanceof FactorGrantedAuthority f) {
                any = true;
                if (f.getIssuedAt().isBefore(since)) {
                    return false;
                }
            }
        }
        return any;
    }

    @Override
    public AuthorizationResult authorize(
            Supplier<? extends @Nullable Authentication> authentication, RequestAuthorizationContext context) {
        return new AuthorizationDecision(fresh(authentication.get()));
    }
}
