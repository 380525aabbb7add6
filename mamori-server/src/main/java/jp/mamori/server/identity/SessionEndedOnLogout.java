package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Publishes {@link SessionEnded} with reason LOGOUT when a user logs out, before the session goes. */
@Component
class SessionEndedOnLogout implements LogoutHandler {

    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    SessionEndedOnLogout(ApplicationEventPublisher events, TransactionTemplate transactions) {
        this.events = events;
        this.transactions = transactions;
    }

    @Override
    public void logout(
            HttpServletRequest request, HttpServletResponse response, @Nullable Authentication authentication) {
        var session = request.getSession(false);
        if (session == null
                || authentication == null
                || !(authentication.getPrincipal() instanceof MamoriPrincipal principal)) {
            return;
        }
        var ended = new SessionEnded(
                principal.accountId(),
                principal.loginId(),
                session.getId(),
                principal.terminalId(),
                SessionEnded.Reason.LOGOUT);
        transactions.executeWithoutResult(tx -> events.publishEvent(ended));
    }
}
