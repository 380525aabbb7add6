package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * On a registered terminal: binds a full sign-in made by password or passkey to the terminal (so
 * it too displaces the previous user), sends a locked session to the lock screen, locks a session
 * idle for longer than the terminal allows, and tells the page how long is left.
 */
@Component
class TerminalActivityInterceptor implements HandlerInterceptor {

    private final TerminalStore terminals;
    private final TerminalSignIn signIn;
    private final AccountStore accounts;
    private final FactorPolicyAuthorization policy;
    private final Clock clock;

    TerminalActivityInterceptor(
            TerminalStore terminals,
            TerminalSignIn signIn,
            AccountStore accounts,
            FactorPolicyAuthorization policy,
            Clock clock) {
        this.terminals = terminals;
        this.signIn = signIn;
        this.accounts = accounts;
        this.policy = policy;
        this.clock = clock;
    }

    static boolean exempt(String path) {
        return path.startsWith("/terminal/")
                || path.startsWith("/login")
                || path.startsWith("/logout")
                || path.startsWith("/setup")
                || path.startsWith("/error")
                || path.startsWith("/actuator")
                || path.startsWith("/account/totp");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (exempt(request.getRequestURI().substring(request.getContextPath().length()))) {
            return true;
        }
        HttpSession session = request.getSession(false);
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (session == null || auth == null || !(auth.getPrincipal() instanceof MamoriPrincipal principal)) {
            return true;
        }
        Long terminalId = TerminalSignIn.terminalIdOf(session);
        if (terminalId == null) {
            var terminal = TerminalCookie.read(request).flatMap(terminals::byCredential);
            if (terminal.isPresent() && policy.satisfied(auth)) {
                accounts.byId(principal.accountId())
                        .ifPresent(account ->
                                signIn.bind(terminal.get(), account, request, "web", RequestOrigin.of(request)));
            }
            return true;
        }
        if (!signIn.stillBound(session)) {
            // Another user took the terminal: this sign-in is over.
            session.invalidate();
            SecurityContextHolder.clearContext();
            response.sendRedirect(request.getContextPath() + "/terminal/lock");
            return false;
        }
        if (Boolean.TRUE.equals(session.getAttribute(TerminalSignIn.LOCKED))) {
            response.sendRedirect(request.getContextPath() + "/terminal/lock");
            return false;
        }
        long last = session.getAttribute(TerminalSignIn.LAST_ACTIVITY) instanceof Long l ? l : clock.millis();
        int idle = session.getAttribute(TerminalSignIn.IDLE_SECONDS) instanceof Integer i ? i : 300;
        if (clock.millis() - last > idle * 1000L) {
            signIn.lock(session, principal, "idle");
            response.sendRedirect(request.getContextPath() + "/terminal/lock");
            return false;
        }
        session.setAttribute(TerminalSignIn.LAST_ACTIVITY, clock.millis());
        return true;
    }

    @Override
    public void postHandle(
            HttpServletRequest request,
            HttpServletResponse response,
            Object handler,
            @Nullable ModelAndView modelAndView) {
        HttpSession session = request.getSession(false);
        if (modelAndView != null
                && session != null
                && TerminalSignIn.terminalIdOf(session) != null
                && modelAndView.getViewName() != null
                && !modelAndView.getViewName().startsWith("redirect:")) {
            modelAndView.addObject("terminalIdleSeconds", session.getAttribute(TerminalSignIn.IDLE_SECONDS));
        }
    }
}
