package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Break-the-glass: when a card or second factor cannot be used, a password and a stated reason
 * open a time-limited sign-in. It is loud — recorded, announced to the security officer at once —
 * and stays in the review queue until someone signs it off.
 */
@Service
class BreakGlass {

    static final int MIN_REASON_LENGTH = 10;

    private final PasswordAuthenticationProvider passwords;
    private final AccountStore accounts;
    private final SignInCompletion completion;
    private final SecurityEvents events;
    private final ApplicationEventPublisher publisher;
    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final BreakGlassSettings settings;
    private final Clock clock;

    BreakGlass(
            PasswordAuthenticationProvider passwords,
            AccountStore accounts,
            SignInCompletion completion,
            SecurityEvents events,
            ApplicationEventPublisher publisher,
            TransactionTemplate tx,
            JdbcClient jdbc,
            BreakGlassSettings settings,
            Clock clock) {
        this.passwords = passwords;
        this.accounts = accounts;
        this.completion = completion;
        this.events = events;
        this.publisher = publisher;
        this.tx = tx;
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    record Use(
            long id,
            long accountId,
            String loginId,
            String displayName,
            @Nullable Long terminalId,
            String reason,
            @Nullable String patientRef,
            Instant startedAt,
            Instant expiresAt,
            @Nullable String reviewedBy,
            @Nullable Instant reviewedAt,
            @Nullable String reviewNote) {}

    /** Starts an emergency sign-in; false when the password is refused (the reason is then not stored). */
    boolean start(
            String loginId,
            String password,
            String reason,
            @Nullable String patientRef,
            HttpServletRequest request,
            HttpServletResponse response) {
        if (reason.strip().length() < MIN_REASON_LENGTH) {
            throw new IllegalArgumentException("breakGlass.reasonTooShort");
        }
        UsernamePasswordAuthenticationToken attempt =
                UsernamePasswordAuthenticationToken.unauthenticated(loginId, password);
        attempt.setDetails(new WebAuthenticationDetails(request));
        Authentication checked;
        try {
            checked = passwords.authenticate(attempt);
        } catch (AuthenticationException refused) {
            return false;
        }
        MamoriPrincipal principal = (MamoriPrincipal) checked.getPrincipal();
        Account account = accounts.byId(principal.accountId()).orElseThrow();
        Instant now = clock.instant();
        Instant expires = now.plus(settings.duration());
        tx.executeWithoutResult(status -> {
            long id = jdbc.sql(
                            """
                            INSERT INTO break_glass (account_id, reason, patient_ref, started_at, expires_at)
                            VALUES (?, ?, ?, ?, ?) RETURNING id""")
                    .params(
                            account.id(),
                            reason.strip(),
                            patientRef == null || patientRef.isBlank() ? null : patientRef.strip(),
                            Timestamp.from(now),
                            Timestamp.from(expires))
                    .query(Long.class)
                    .single();
            events.record(SecurityEvent.success(SecurityEventType.BREAK_GLASS_START)
                    .account(account.id(), account.loginId())
                    .source(RequestOrigin.of(request))
                    .detail("break_glass_id", id)
                    .detail("expires_at", expires)
                    .build());
            publisher.publishEvent(new BreakGlassStarted(
                    id, account.id(), account.loginId(), account.displayName(), null, reason.strip(), now, expires));
        });
        Authentication auth = SignInCompletion.fresh(
                principal,
                PasswordAuthenticationProvider.authorities(account, Factors.PASSWORD, Factors.BREAK_GLASS),
                request);
        completion.store(auth, request, response);
        return true;
    }

    List<Use> unreviewed() {
        return query("WHERE b.reviewed_at IS NULL ORDER BY b.started_at DESC");
    }

    List<Use> recent(int limit) {
        return query("ORDER BY b.started_at DESC LIMIT " + Math.max(1, limit));
    }

    int unreviewedCount() {
        return jdbc.sql("SELECT count(*) FROM break_glass WHERE reviewed_at IS NULL")
                .query(Integer.class)
                .single();
    }

    /** Signs off a use; a person must say what they found. */
    void review(long id, MamoriPrincipal reviewer, String note) {
        if (note.strip().isEmpty()) {
            throw new IllegalArgumentException("breakGlass.noteRequired");
        }
        int n = jdbc.sql(
                        """
                        UPDATE break_glass SET reviewed_by = ?, reviewed_at = now(), review_note = ?
                        WHERE id = ? AND reviewed_at IS NULL""")
                .params(reviewer.accountId(), note.strip(), id)
                .update();
        if (n == 1) {
            events.record(SecurityEvent.success(SecurityEventType.BREAK_GLASS_REVIEWED)
                    .account(reviewer.accountId(), reviewer.loginId())
                    .detail("break_glass_id", id)
                    .build());
        }
    }

    private List<Use> query(String tail) {
        return jdbc.sql(
                        """
                        SELECT b.*, a.login_id, a.display_name, r.display_name AS reviewer
                        FROM break_glass b JOIN account a ON a.id = b.account_id
                        LEFT JOIN account r ON r.id = b.reviewed_by
                        """
                                + tail)
                .query((rs, n) -> new Use(
                        rs.getLong("id"),
                        rs.getLong("account_id"),
                        rs.getString("login_id"),
                        rs.getString("display_name"),
                        (Long) rs.getObject("terminal_id"),
                        rs.getString("reason"),
                        rs.getString("patient_ref"),
                        rs.getTimestamp("started_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getString("reviewer"),
                        rs.getTimestamp("reviewed_at") == null
                                ? null
                                : rs.getTimestamp("reviewed_at").toInstant(),
                        rs.getString("review_note")))
                .list();
    }
}
