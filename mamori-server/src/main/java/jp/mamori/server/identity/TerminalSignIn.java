package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signing in at a shared terminal. A terminal has at most one active user: a new user's card tap
 * with PIN ends the previous user's sessions on that terminal (and, through {@link SessionEnded},
 * in every application signed in through Mamori). The same user tapping again only unlocks.
 */
@Service
class TerminalSignIn {

    static final String TERMINAL_ID = "mamori.terminal.id";
    static final String IDLE_SECONDS = "mamori.terminal.idleSeconds";
    static final String LAST_ACTIVITY = "mamori.terminal.lastActivity";
    static final String LOCKED = "mamori.terminal.locked";
    /** The terminal_session row this browser session holds; once it is ended, the session is over. */
    static final String BINDING = "mamori.terminal.binding";

    enum Outcome {
        SIGNED_IN,
        UNLOCKED,
        REFUSED
    }

    private final IcCards cards;
    private final AccountStore accounts;
    private final TerminalStore terminals;
    private final PasswordService passwords;
    private final LoginThrottle throttle;
    private final SecurityEvents events;
    private final SignInCompletion completion;
    private final FindByIndexNameSessionRepository<? extends Session> sessions;
    private final ApplicationEventPublisher publisher;
    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final Clock clock;

    TerminalSignIn(
            IcCards cards,
            AccountStore accounts,
            TerminalStore terminals,
            PasswordService passwords,
            LoginThrottle throttle,
            SecurityEvents events,
            SignInCompletion completion,
            FindByIndexNameSessionRepository<? extends Session> sessions,
            ApplicationEventPublisher publisher,
            TransactionTemplate tx,
            JdbcClient jdbc,
            Clock clock) {
        this.cards = cards;
        this.accounts = accounts;
        this.terminals = terminals;
        this.passwords = passwords;
        this.throttle = throttle;
        this.events = events;
        this.completion = completion;
        this.sessions = sessions;
        this.publisher = publisher;
        this.tx = tx;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A card tap with PIN at the terminal. */
    Outcome tap(Terminal terminal, String uid, String pin, HttpServletRequest request, HttpServletResponse response) {
        String source = RequestOrigin.of(request);
        Optional<IcCards.Card> card = cards.byUid(uid);
        Optional<Account> account = card.flatMap(c -> accounts.byId(c.accountId()));
        boolean pinOk;
        if (card.isEmpty() || pin.isBlank()) {
            passwords.spendCheckTime(pin);
            pinOk = false;
        } else {
            pinOk = passwords.matches(pin, card.get().pinHash());
        }
        String key = account.map(a -> LoginThrottle.accountKey(a.loginId())).orElse("card:unknown");
        String refusal = null;
        if (account.isPresent() && throttle.blocked(key)) {
            refusal = "throttled";
        } else if (card.isEmpty()) {
            refusal = uid.isBlank() ? "no_card" : "unknown_card";
        } else if (pin.isBlank()) {
            refusal = "no_pin";
        } else if (!pinOk) {
            refusal = "bad_pin";
        } else if (!account.get().usableAt(clock.instant())) {
            refusal = account.get().adminLocked()
                    ? "locked"
                    : "not_usable:" + account.get().status();
        }
        if (refusal != null) {
            int failures = account.isPresent() && !refusal.equals("throttled") ? throttle.fail(key) : 0;
            events.record(SecurityEvent.failure(SecurityEventType.TERMINAL_SIGN_IN)
                    .account(
                            account.map(Account::id).orElse(null),
                            account.map(Account::loginId).orElse(null))
                    .terminal(terminal.id())
                    .source(source)
                    .detail("method", "ic_card")
                    .detail("reason", refusal)
                    .build());
            if (failures == LoginThrottle.LOCKOUT_FAILURES) {
                accounts.setAdminLocked(account.get().id(), true);
                events.record(SecurityEvent.success(SecurityEventType.LOCKOUT)
                        .account(account.get().id(), account.get().loginId())
                        .terminal(terminal.id())
                        .detail("method", "ic_card")
                        .build());
            }
            return Outcome.REFUSED;
        }
        Account who = account.get();
        throttle.succeed(key);
        HttpSession existing = request.getSession(false);
        Authentication current = org.springframework.security.core.context.SecurityContextHolder.getContext()
                .getAuthentication();
        if (existing != null
                && terminalIdOf(existing) != null
                && terminalIdOf(existing) == terminal.id()
                && current != null
                && current.getPrincipal() instanceof MamoriPrincipal p
                && p.accountId() == who.id()) {
            existing.removeAttribute(LOCKED);
            existing.setAttribute(LAST_ACTIVITY, clock.millis());
            events.record(SecurityEvent.success(SecurityEventType.TERMINAL_SIGN_IN)
                    .account(who.id(), who.loginId())
                    .terminal(terminal.id())
                    .source(source)
                    .detail("method", "ic_card")
                    .detail("mode", "unlock")
                    .build());
            return Outcome.UNLOCKED;
        }
        if (existing != null) {
            existing.invalidate();
        }
        MamoriPrincipal principal = who.principal().onTerminal(terminal.id(), terminal.name());
        Authentication auth = SignInCompletion.fresh(
                principal, PasswordAuthenticationProvider.authorities(who, Factors.IC_CARD, Factors.PIN), request);
        completion.store(auth, request, response);
        bind(terminal, who, request, "ic_card", source);
        accounts.touchLogin(who.id());
        return Outcome.SIGNED_IN;
    }

    /**
     * Makes the current web session the terminal's one active session, ending the previous user's sessions on
     * the terminal. Serialized per terminal by a row lock, so two taps at the same moment end with
     * exactly one active user.
     */
    void bind(Terminal terminal, Account account, HttpServletRequest request, String method, String source) {
        HttpSession session = request.getSession();
        session.setAttribute(TERMINAL_ID, terminal.id());
        session.setAttribute(IDLE_SECONDS, terminal.idleLockSeconds());
        session.setAttribute(LAST_ACTIVITY, clock.millis());
        String sessionId = session.getId();
        tx.executeWithoutResult(status -> {
            Terminal locked = terminals.lockForUpdate(terminal.id());
            if (terminal.shared()) {
                endSessionsOn(terminal.id(), sessionId, account.loginId());
            }
            terminals.setActive(terminal.id(), account.id(), sessionId);
            long binding = jdbc.sql(
                            """
                            INSERT INTO terminal_session (terminal_id, account_id, session_id, method)
                            VALUES (?, ?, ?, ?) RETURNING id""")
                    .params(terminal.id(), account.id(), sessionId, method)
                    .query(Long.class)
                    .single();
            session.setAttribute(BINDING, binding);
            events.record(SecurityEvent.success(SecurityEventType.TERMINAL_SIGN_IN)
                    .account(account.id(), account.loginId())
                    .terminal(terminal.id())
                    .source(source)
                    .detail("method", method)
                    .build());
        });
    }

    /**
     * Ends every open sign-in on the terminal except the session {@code keep}: the rows are closed
     * (which the next request of such a session notices), the sessions deleted where the store has
     * them already, and every application told through {@link SessionEnded}.
     */
    private void endSessionsOn(long terminalId, String keep, String displacedBy) {
        record Open(long id, long accountId, String sessionId) {}
        List<Open> open = jdbc.sql(
                        """
                        SELECT id, account_id, session_id FROM terminal_session
                        WHERE terminal_id = ? AND ended_at IS NULL AND session_id <> ?""")
                .params(terminalId, keep)
                .query((rs, n) -> new Open(rs.getLong(1), rs.getLong(2), rs.getString(3)))
                .list();
        for (Open o : open) {
            jdbc.sql("UPDATE terminal_session SET ended_at = now(), end_reason = 'DISPLACED' WHERE id = ?")
                    .param(o.id())
                    .update();
            Account previous = accounts.byId(o.accountId()).orElseThrow();
            sessions.deleteById(o.sessionId());
            for (Session s : sessions.findByPrincipalName(previous.loginId()).values()) {
                if (s.getAttribute(TERMINAL_ID) instanceof Long id
                        && id == terminalId
                        && !s.getId().equals(keep)) {
                    sessions.deleteById(s.getId());
                }
            }
            events.record(SecurityEvent.success(SecurityEventType.TERMINAL_DISPLACED)
                    .account(previous.id(), previous.loginId())
                    .terminal(terminalId)
                    .detail("by", displacedBy)
                    .build());
            publisher.publishEvent(new SessionEnded(
                    previous.id(), previous.loginId(), o.sessionId(), terminalId, SessionEnded.Reason.DISPLACED));
        }
    }

    /** Locks the terminal session now (idle time out, or the user pressed lock). */
    void lock(HttpSession session, MamoriPrincipal principal, String reason) {
        session.setAttribute(LOCKED, Boolean.TRUE);
        events.record(SecurityEvent.success(SecurityEventType.TERMINAL_LOCKED)
                .account(principal.accountId(), principal.loginId())
                .terminal(terminalIdOf(session))
                .detail("reason", reason)
                .build());
    }

    /** Whether the session still holds the terminal, i.e. nobody displaced it. */
    boolean stillBound(HttpSession session) {
        if (!(session.getAttribute(BINDING) instanceof Long binding)) {
            return false;
        }
        return jdbc.sql("SELECT ended_at IS NULL FROM terminal_session WHERE id = ?")
                .param(binding)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    static Long terminalIdOf(HttpSession session) {
        return session.getAttribute(TERMINAL_ID) instanceof Long id ? id : null;
    }
}
