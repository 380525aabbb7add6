package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.util.Map;
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
     * Makes this session the terminal's one active session, ending the previous user's sessions on
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
            Long previous = locked.activeAccountId();
            if (previous != null && terminal.shared()) {
                endSessionsOn(terminal.id(), previous, sessionId, account.loginId());
            }
            terminals.setActive(terminal.id(), account.id(), sessionId);
            jdbc.sql(
                            """
                            INSERT INTO terminal_session (terminal_id, account_id, session_id, method)
                            VALUES (?, ?, ?, ?)""")
                    .params(terminal.id(), account.id(), sessionId, method)
                    .update();
            events.record(SecurityEvent.success(SecurityEventType.TERMINAL_SIGN_IN)
                    .account(account.id(), account.loginId())
                    .terminal(terminal.id())
                    .source(source)
                    .detail("method", method)
                    .build());
        });
    }

    /** Ends every session of the account on this terminal except {@code keep}. */
    private void endSessionsOn(long terminalId, long accountId, String keep, String displacedBy) {
        Account previous = accounts.byId(accountId).orElseThrow();
        Map<String, ? extends Session> theirs = sessions.findByPrincipalName(previous.loginId());
        for (Session s : theirs.values()) {
            Object t = s.getAttribute(TERMINAL_ID);
            if (s.getId().equals(keep) || !(t instanceof Long id) || id != terminalId) {
                continue;
            }
            sessions.deleteById(s.getId());
            jdbc.sql(
                            """
                            UPDATE terminal_session SET ended_at = now(), end_reason = 'DISPLACED'
                            WHERE terminal_id = ? AND account_id = ? AND ended_at IS NULL""")
                    .params(terminalId, accountId)
                    .update();
            events.record(SecurityEvent.success(SecurityEventType.TERMINAL_DISPLACED)
                    .account(previous.id(), previous.loginId())
                    .terminal(terminalId)
                    .detail("by", displacedBy)
                    .build());
            publisher.publishEvent(new SessionEnded(
                    previous.id(), previous.loginId(), s.getId(), terminalId, SessionEnded.Reason.DISPLACED));
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

    static Long terminalIdOf(HttpSession session) {
        return session.getAttribute(TERMINAL_ID) instanceof Long id ? id : null;
    }
}
