package jp.mamori.server.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The end of an event's retention (保存期間): its body and personal columns are removed, its leaf
 * hash stays in the tiles, so the tree, its checkpoints and every proof remain verifiable. The
 * expiry is the only change the database lets happen to a stored event, and it is itself logged.
 */
@Component
class AccessLogRetention {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final FacilityLog log;
    private final SecurityEvents events;
    private final AuditSettings settings;
    private final Clock clock;

    AccessLogRetention(
            JdbcClient jdbc,
            TransactionTemplate tx,
            FacilityLog log,
            SecurityEvents events,
            AuditSettings settings,
            Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.log = log;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /** What one expiry removed: the events recorded before {@code before}, by leaf index. */
    record Expiry(long count, long firstIndex, long lastIndex, Instant before) {}

    @Scheduled(fixedDelayString = "${mamori.audit.retention-check-interval:1h}", initialDelayString = "5m")
    void expireOnSchedule() {
        expire();
    }

    /** Expires every event older than the retention; returns what it expired, or null if none. */
    @Nullable
    Expiry expire() {
        if (settings.retention() == null) {
            return null;
        }
        Instant before = clock.instant()
                .atZone(ReviewWorksheet.JST)
                .minus(settings.retention())
                .toInstant();
        int id = log.id();
        Expiry done = tx.execute(status -> {
            jdbc.sql("SET LOCAL mamori.audit_expiry = 'on'").update();
            return jdbc.sql(
                            """
                            WITH expired AS (
                                UPDATE audit_event SET body = NULL, patient_id = NULL, login_id = NULL,
                                    account_id = NULL, terminal_id = NULL, source_addr = NULL, expired_at = ?
                                WHERE log_id = ? AND recorded_at < ? AND expired_at IS NULL
                                RETURNING leaf_index)
                            SELECT count(*), min(leaf_index), max(leaf_index) FROM expired""")
                    .params(Timestamp.from(clock.instant()), id, Timestamp.from(before))
                    .query((rs, n) -> new Expiry(rs.getLong(1), rs.getLong(2), rs.getLong(3), before))
                    .single();
        });
        if (done != null && done.count() > 0) {
            events.record(SecurityEvent.success(SecurityEventType.ACCESS_LOG_EXPIRED)
                    .detail("count", done.count())
                    .detail("first_index", done.firstIndex())
                    .detail("last_index", done.lastIndex())
                    .detail("recorded_before", done.before())
                    .detail("retention", settings.retention())
                    .build());
        }
        return done == null || done.count() == 0 ? null : done;
    }
}
