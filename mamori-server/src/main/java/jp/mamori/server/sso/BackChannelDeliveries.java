package jp.mamori.server.sso;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.mamori.server.identity.SessionEnded;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Back-channel logouts that did not reach their client at the first attempt (table {@code
 * sso_backchannel_delivery}): pending ones wait for their next attempt, delivered and failed ones
 * stay as the record the administrator reads on the client's page.
 */
@Component
class BackChannelDeliveries {

    enum State {
        PENDING,
        DELIVERED,
        FAILED,
        /** The client was disabled or lost its back-channel URI while the delivery waited. */
        DROPPED
    }

    /** One logout that is owed to one client. */
    record Delivery(
            long id,
            String clientRegistrationId,
            String sid,
            String issuer,
            String loginId,
            long accountId,
            @Nullable Long terminalId,
            String reason,
            State state,
            int attempts,
            int lastStatus,
            @Nullable String lastError,
            Instant createdAt,
            @Nullable Instant nextAttemptAt) {}

    record Counts(long pending, long failed) {
        static final Counts NONE = new Counts(0, 0);
    }

    private final JdbcClient db;

    BackChannelDeliveries(JdbcClient db) {
        this.db = db;
    }

    /** Keeps a logout whose first attempt failed, to be tried again at {@code next}. */
    void schedule(
            String clientRegistrationId,
            String sid,
            String issuer,
            SessionEnded ended,
            Attempt first,
            Instant now,
            Instant next) {
        db.sql(
                        """
                INSERT INTO sso_backchannel_delivery
                    (registered_client_id, sid, issuer, login_id, account_id, terminal_id, reason, state, attempts,
                     last_status, last_error, created_at, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 1, ?, ?, ?, ?)""")
                .params(
                        clientRegistrationId,
                        sid,
                        issuer,
                        ended.loginId(),
                        ended.accountId(),
                        ended.terminalId(),
                        ended.reason().name(),
                        first.status(),
                        first.error(),
                        Timestamp.from(now),
                        Timestamp.from(next))
                .update();
    }

    /** IDs of pending deliveries due at {@code now}, oldest first. */
    List<Long> due(Instant now, int limit) {
        return db.sql(
                        "SELECT id FROM sso_backchannel_delivery WHERE state = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?")
                .params(Timestamp.from(now), limit)
                .query(Long.class)
                .list();
    }

    /**
     * The delivery, locked for this transaction, if it is still pending and due; another server
     * instance working on it already makes this empty rather than wait.
     */
    Optional<Delivery> lockIfDue(long id, Instant now) {
        return db.sql(SELECT + " WHERE id = ? AND state = 'PENDING' AND next_attempt_at <= ? FOR UPDATE SKIP LOCKED")
                .params(id, Timestamp.from(now))
                .query(BackChannelDeliveries::row)
                .optional();
    }

    /** Records an attempt after the first: the new state, and when to try next if still pending. */
    void attempted(long id, State state, Attempt attempt, Instant now, @Nullable Instant next) {
        db.sql(
                        """
                UPDATE sso_backchannel_delivery
                   SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ?,
                       finished_at = ?
                 WHERE id = ?""")
                .params(
                        state.name(),
                        attempt.status(),
                        attempt.error(),
                        next == null ? null : Timestamp.from(next),
                        state == State.PENDING ? null : Timestamp.from(now),
                        id)
                .update();
    }

    void dropped(long id, String why, Instant now) {
        db.sql(
                        "UPDATE sso_backchannel_delivery SET state = 'DROPPED', last_error = ?, next_attempt_at = NULL, finished_at = ? WHERE id = ?")
                .params(why, Timestamp.from(now), id)
                .update();
    }

    /** Pending and failed deliveries per client registration ID, for the list of clients. */
    Map<String, Counts> countsByClient() {
        Map<String, Counts> counts = new HashMap<>();
        db.sql(
                        """
                SELECT registered_client_id,
                       count(*) FILTER (WHERE state = 'PENDING'),
                       count(*) FILTER (WHERE state = 'FAILED')
                  FROM sso_backchannel_delivery
                 WHERE state IN ('PENDING', 'FAILED')
                 GROUP BY registered_client_id""")
                .query(rs -> {
                    counts.put(rs.getString(1), new Counts(rs.getLong(2), rs.getLong(3)));
                });
        return counts;
    }

    /** A client's pending and failed deliveries, newest first. */
    List<Delivery> openOf(String clientRegistrationId) {
        return db.sql(
                        SELECT
                                + " WHERE registered_client_id = ? AND state IN ('PENDING', 'FAILED') ORDER BY created_at DESC, id DESC LIMIT 100")
                .param(clientRegistrationId)
                .query(BackChannelDeliveries::row)
                .list();
    }

    /** Every delivery of a client, newest first (tests and the record). */
    List<Delivery> allOf(String clientRegistrationId) {
        return db.sql(SELECT + " WHERE registered_client_id = ? ORDER BY created_at DESC, id DESC")
                .param(clientRegistrationId)
                .query(BackChannelDeliveries::row)
                .list();
    }

    private static final String SELECT =
            """
            SELECT id, registered_client_id, sid, login_id, account_id, terminal_id, reason, state, attempts,
                   last_status, last_error, created_at, next_attempt_at, issuer
              FROM sso_backchannel_delivery""";

    private static Delivery row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp next = rs.getTimestamp(13);
        long terminal = rs.getLong(6);
        boolean noTerminal = rs.wasNull();
        return new Delivery(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(14),
                rs.getString(4),
                rs.getLong(5),
                noTerminal ? null : terminal,
                rs.getString(7),
                State.valueOf(rs.getString(8)),
                rs.getInt(9),
                rs.getInt(10),
                rs.getString(11),
                rs.getTimestamp(12).toInstant(),
                next == null ? null : next.toInstant());
    }

    /**
     * One attempt to deliver a logout token.
     *
     * @param status the HTTP status the client answered, 0 when there was no answer
     * @param error why there was no answer (connection refused, timeout), without any token in it
     */
    record Attempt(boolean delivered, int status, @Nullable String error) {}
}
