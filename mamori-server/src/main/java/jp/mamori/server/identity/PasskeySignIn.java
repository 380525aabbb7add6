package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationRequestToken;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Signing in with a passkey ({@code POST /login/webauthn}). The relying party checks the
 * signature, challenge, origin, user verification and counter; this then applies the same rules
 * as a password: the per-address and per-account throttle, lockout, and no sign-in for disabled,
 * retired, locked or expired accounts, all with the same refusal from outside and the real reason
 * in the access log.
 *
 * <p>After a password, for the same account, the passkey is added as a further factor; otherwise
 * the passkey sign-in stands on its own (user verification makes it two factors: the device and
 * the person).
 */
@Component
class PasskeySignIn implements AuthenticationProvider, AuthenticationFailureHandler {

    private final WebAuthnRelyingPartyOperations relyingParty;
    private final Passkeys passkeys;
    private final AccountStore accounts;
    private final LoginThrottle throttle;
    private final SecurityEvents events;
    private final Clock clock;

    PasskeySignIn(
            WebAuthnRelyingPartyOperations relyingParty,
            Passkeys passkeys,
            AccountStore accounts,
            LoginThrottle throttle,
            SecurityEvents events,
            Clock clock) {
        this.relyingParty = relyingParty;
        this.passkeys = passkeys;
        this.accounts = accounts;
        this.throttle = throttle;
        this.events = events;
        this.clock = clock;
    }

    /** Thrown for every refusal this class decides; the failure handler answers it with 401. */
    static final class Refused extends BadCredentialsException {
        Refused() {
            super(PasswordAuthenticationProvider.GENERIC_FAILURE);
        }
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        WebAuthnAuthenticationRequestToken request = (WebAuthnAuthenticationRequestToken) authentication;
        HttpServletRequest http =
                ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        String source = RequestOrigin.of(http);
        String sourceKey = LoginThrottle.sourceKey(source);
        String credentialId = request.getWebAuthnRequest().getPublicKey().getId();
        Optional<Account> owner = passkeys.ownerOf(credentialId).flatMap(accounts::byLoginId);

        if (throttle.blocked(sourceKey)
                || owner.map(a -> throttle.blocked(LoginThrottle.accountKey(a.loginId())))
                        .orElse(false)) {
            throw refuse(owner, source, "throttled", false);
        }
        PublicKeyCredentialUserEntity entity;
        try {
            entity = relyingParty.authenticate(request.getWebAuthnRequest());
        } catch (RuntimeException invalid) {
            throw refuse(owner, source, owner.isEmpty() ? "unknown_passkey" : reason(invalid), true);
        }
        Optional<Account> found = accounts.byLoginId(entity.getName());
        if (found.isEmpty()) {
            throw refuse(found, source, "unknown_account", true);
        }
        Account account = found.get();
        if (!account.usableAt(clock.instant())) {
            throw refuse(found, source, account.adminLocked() ? "locked" : "not_usable:" + account.status(), true);
        }
        throttle.succeed(LoginThrottle.accountKey(account.loginId()));
        accounts.touchLogin(account.id());

        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        if (current != null
                && current.isAuthenticated()
                && current.getPrincipal() instanceof MamoriPrincipal signedIn
                && signedIn.accountId() == account.id()) {
            // The passkey as the second step after a password: same person, one more factor.
            events.record(SecurityEvent.success(SecurityEventType.SECOND_FACTOR)
                    .account(account.id(), account.loginId())
                    .terminal(signedIn.terminalId())
                    .source(source)
                    .detail("method", "passkey")
                    .build());
            return SignInCompletion.withFactor(current, signedIn, Factors.WEBAUTHN);
        }
        events.record(SecurityEvent.success(SecurityEventType.LOGIN)
                .account(account.id(), account.loginId())
                .source(source)
                .detail("method", "passkey")
                .build());
        UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(
                account.principal(), null, PasswordAuthenticationProvider.authorities(account, Factors.WEBAUTHN));
        result.setDetails(new WebAuthenticationDetails(http));
        return result;
    }

    private Refused refuse(Optional<Account> account, String source, String reason, boolean countable) {
        if (countable) {
            throttle.fail(LoginThrottle.sourceKey(source));
        }
        int failures = countable && account.isPresent()
                ? throttle.fail(LoginThrottle.accountKey(account.get().loginId()))
                : 0;
        events.record(SecurityEvent.failure(SecurityEventType.LOGIN)
                .account(
                        account.map(Account::id).orElse(null),
                        account.map(Account::loginId).orElse(null))
                .source(source)
                .detail("method", "passkey")
                .detail("reason", reason)
                .build());
        if (account.isPresent()
                && failures == LoginThrottle.LOCKOUT_FAILURES
                && !account.get().adminLocked()) {
            accounts.setAdminLocked(account.get().id(), true);
            events.record(SecurityEvent.success(SecurityEventType.LOCKOUT)
                    .account(account.get().id(), account.get().loginId())
                    .source(source)
                    .detail("failures", failures)
                    .detail("method", "passkey")
                    .build());
        }
        return new Refused();
    }

    /** A short, key-free name for why WebAuthn4J or Spring refused a ceremony. */
    static String reason(Throwable t) {
        String name = t.getClass().getSimpleName();
        return switch (name) {
            case "BadSignatureException" -> "bad_signature";
            case "BadChallengeException" -> "bad_challenge";
            case "BadOriginException" -> "bad_origin";
            case "BadRpIdException" -> "bad_rp_id";
            case "MaliciousCounterValueException", "CounterNotIncreased" -> "counter_not_increased";
            case "UserNotVerifiedException" -> "user_not_verified";
            case "UserNotPresentException" -> "user_not_present";
            case "IllegalArgumentException" -> "invalid_request";
            default -> name.isEmpty() ? "invalid" : name;
        };
    }

    /**
     * Failures of {@code POST /login/webauthn}: a refusal is 401 with the generic answer; a body
     * that is not a WebAuthn assertion is 400 and says where it broke; an assertion without a
     * challenge of the HTTP session (a replay, or a second use) is 401.
     */
    @Override
    public void onAuthenticationFailure(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        if (exception instanceof Refused) {
            write(response, HttpServletResponse.SC_UNAUTHORIZED, "refused", "Sign-in with the passkey was refused.");
            return;
        }
        String source = RequestOrigin.of(request);
        throttle.fail(LoginThrottle.sourceKey(source));
        boolean noChallenge = String.valueOf(exception.getMessage()).contains("No PublicKeyCredentialRequestOptions");
        events.record(SecurityEvent.failure(SecurityEventType.LOGIN)
                .source(source)
                .detail("method", "passkey")
                .detail("reason", noChallenge ? "no_challenge" : "malformed")
                .build());
        if (noChallenge) {
            write(
                    response,
                    HttpServletResponse.SC_UNAUTHORIZED,
                    "no_challenge",
                    "No sign-in challenge is waiting in the HTTP session: ask for new options first.");
        } else {
            write(
                    response,
                    HttpServletResponse.SC_BAD_REQUEST,
                    "malformed",
                    "The request body is not a WebAuthn assertion (PublicKeyCredential JSON)" + where(exception) + ".");
        }
    }

    static String where(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof JacksonException j) {
                // Only where it broke: Jackson's own message may quote the body.
                TokenStreamLocation at = j.getLocation();
                return at != null && at.getLineNr() > 0
                        ? " at line " + at.getLineNr() + ", column " + at.getColumnNr()
                        : "";
            }
        }
        return "";
    }

    static void write(HttpServletResponse response, int status, String error, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"error\":\"" + error + "\",\"message\":\"" + json(message) + "\"}");
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", " ");
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return WebAuthnAuthenticationRequestToken.class.isAssignableFrom(authentication);
    }
}
