package jp.mamori.server.audit;

import java.sql.Timestamp;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
class AccessLogFactsQuery implements AccessLogFacts {

    private final JdbcClient jdbc;

    AccessLogFactsQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long eventsSince(Instant since) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE recorded_at >= ?")
                .param(Timestamp.from(since))
                .query(Long.class)
                .single();
    }

    @Override
    public @Nullable Instant latestCheckpointAt() {
        return jdbc.sql("SELECT created_at FROM audit_checkpoint ORDER BY created_at DESC LIMIT 1")
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .optional()
                .orElse(null);
    }
}
