package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The second step of signing in: a TOTP code, a recovery code or a passkey (which posts to {@code
 * /login/webauthn}, see {@link PasskeySignIn}) after the password. Wrong codes
 * are throttled like passwords, so six digits cannot be guessed.
 */
@Controller
class SecondFactorController {

    private final SecondFactors factors;
    private final AccountStore accounts;
    private final LoginThrottle throttle;
    private final SecurityEvents events;
    private final SignInCompletion completion;
    private final Passkeys passkeys;
    private final RequestCache requestCache = new HttpSessionRequestCache();

    SecondFactorController(
            SecondFactors factors,
            AccountStore accounts,
            LoginThrottle throttle,
            SecurityEvents events,
            SignInCompletion completion,
            Passkeys passkeys) {
        this.passkeys = passkeys;
        this.factors = factors;
        this.accounts = accounts;
        this.throttle = throttle;
        this.events = events;
        this.completion = completion;
    }

    @GetMapping("/login/second-factor")
    String page(@AuthenticationPrincipal MamoriPrincipal principal, Model model) {
        boolean totp = factors.hasTotp(principal.accountId());
        model.addAttribute("hasTotp", totp);
        model.addAttribute("recoveryLeft", factors.unusedRecoveryCodes(principal.accountId()));
        boolean hasPasskeys = passkeys.count(principal.loginId()) > 0;
        model.addAttribute("hasPasskeys", hasPasskeys);
        if (!totp && !hasPasskeys) {
            return "redirect:/account/totp";
        }
        return "login/second-factor";
    }

    @PostMapping("/login/totp")
    String totp(
            @RequestParam("code") String code,
            Authentication current,
            HttpServletRequest request,
            HttpServletResponse response) {
        return check(code, current, request, response, Factors.TOTP);
    }

    @PostMapping("/login/recovery")
    String recovery(
            @RequestParam("code") String code,
            Authentication current,
            HttpServletRequest request,
            HttpServletResponse response) {
        return check(code, current, request, response, Factors.RECOVERY_CODE);
    }

    private String check(
            String code,
            Authentication current,
            HttpServletRequest request,
            HttpServletResponse response,
            String factor) {
        MamoriPrincipal principal = (MamoriPrincipal) current.getPrincipal();
        String key = "second-factor:" + principal.accountId();
        String method = factor.equals(Factors.TOTP) ? "totp" : "recovery_code";
        boolean ok = !throttle.blocked(key)
                && (factor.equals(Factors.TOTP)
                        ? factors.verifyTotp(principal.accountId(), code)
                        : factors.useRecoveryCode(principal.accountId(), code));
        String source = RequestOrigin.of(request);
        if (!ok) {
            int failures = throttle.fail(key);
            events.record(SecurityEvent.failure(SecurityEventType.SECOND_FACTOR)
                    .account(principal.accountId(), principal.loginId())
                    .terminal(principal.terminalId())
                    .source(source)
                    .detail("method", method)
                    .build());
            if (failures == LoginThrottle.LOCKOUT_FAILURES) {
                accounts.setAdminLocked(principal.accountId(), true);
                events.record(SecurityEvent.success(SecurityEventType.LOCKOUT)
                        .account(principal.accountId(), principal.loginId())
                        .detail("failures", failures)
                        .detail("method", method)
                        .build());
            }
            return "redirect:/login/second-factor?error";
        }
        throttle.succeed(key);
        events.record(SecurityEvent.success(SecurityEventType.SECOND_FACTOR)
                .account(principal.accountId(), principal.loginId())
                .terminal(principal.terminalId())
                .source(source)
                .detail("method", method)
                .build());
        accounts.touchLogin(principal.accountId());
        completion.store(SignInCompletion.withFactor(current, principal, factor), request, response);
        SavedRequest saved = requestCache.getRequest(request, response);
        requestCache.removeRequest(request, response);
        return "redirect:" + (saved == null ? "/" : saved.getRedirectUrl());
    }
}
