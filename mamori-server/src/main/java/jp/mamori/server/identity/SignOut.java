package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Logging out: recorded, the terminal released, and {@link SessionEnded} published so that every
 * application signed in through Mamori ends its session too.
 */
@Component
class SignOut implements LogoutHandler {

    private final SecurityEvents events;
    private final ApplicationEventPublisher publisher;
    private final TransactionTemplate tx;
    private final JdbcClient jdbc;

    SignOut(SecurityEvents events, ApplicationEventPublisher publisher, TransactionTemplate tx, JdbcClient jdbc) {
        this.events = events;
        this.publisher = publisher;
        this.tx = tx;
        this.jdbc = jdbc;
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response, @Nullable Authentication auth) {
        if (auth == null || !(auth.getPrincipal() instanceof MamoriPrincipal principal)) {
            return;
        }
        HttpSession session = request.getSession(false);
        String sessionId = session == null ? "" : session.getId();
        Long terminalId = session == null ? null : TerminalSignIn.terminalIdOf(session);
        Object binding = session == null ? null : session.getAttribute(TerminalSignIn.BINDING);
        tx.executeWithoutResult(status -> {
            if (binding instanceof Long id) {
                jdbc.sql(
                                "UPDATE terminal_session SET ended_at = now(), end_reason = 'LOGOUT' WHERE id = ? AND ended_at IS NULL")
                        .param(id)
                        .update();
                jdbc.sql(
                                """
                                UPDATE terminal SET active_account_id = NULL, active_session_id = NULL, active_since = NULL
                                WHERE id = ? AND active_account_id = ?""")
                        .params(terminalId, principal.accountId())
                        .update();
            }
            events.record(SecurityEvent.success(SecurityEventType.LOGOUT)
                    .account(principal.accountId(), principal.loginId())
                    .terminal(terminalId)
                    .source(RequestOrigin.of(request))
                    .build());
            publisher.publishEvent(new SessionEnded(
                    principal.accountId(), principal.loginId(), sessionId, terminalId, SessionEnded.Reason.LOGOUT));
        });
    }
}
