package jp.mamori.server.sso;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.mamori.server.identity.MamoriPrincipal;
import jp.mamori.server.identity.SessionEnded;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Logout started by an application at the OpenID Connect logout endpoint ends the Mamori session
 * like a logout in Mamori itself: {@link SessionEnded} is published first, so the other
 * applications of that session are logged out over the back channel, then the session goes.
 */
class RpInitiatedLogout implements LogoutHandler {

    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final LogoutHandler context = new SecurityContextLogoutHandler();

    RpInitiatedLogout(ApplicationEventPublisher events, TransactionTemplate transactions) {
        this.events = events;
        this.transactions = transactions;
    }

    @Override
    public void logout(
            HttpServletRequest request, HttpServletResponse response, @Nullable Authentication authentication) {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        var session = request.getSession(false);
        if (session != null && user != null && user.getPrincipal() instanceof MamoriPrincipal principal) {
            var ended = new SessionEnded(
                    principal.accountId(),
                    principal.loginId(),
                    session.getId(),
                    principal.terminalId(),
                    SessionEnded.Reason.LOGOUT);
            transactions.executeWithoutResult(tx -> events.publishEvent(ended));
        }
        context.logout(request, response, authentication);
    }
}
