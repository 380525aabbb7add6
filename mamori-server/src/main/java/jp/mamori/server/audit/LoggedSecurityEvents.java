package jp.mamori.server.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.mamori.auditlog.jcs.Json;
import jp.mamori.auditlog.jcs.JsonParseException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Authentication and administrative events as leaves of the facility's tamper-evident log. Each
 * event is stored as its RFC 8785 canonical JSON, which is exactly what its leaf hash covers.
 */
@Service
class LoggedSecurityEvents implements SecurityEvents {

    static final String KIND = "security";
    private final FacilityLog log;
    private final JdbcClient jdbc;
    private final Clock clock;

    LoggedSecurityEvents(FacilityLog log, JdbcClient jdbc, Clock clock) {
        this.log = log;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void record(SecurityEvent event) {
        Instant now = clock.instant();
        log.append(List.of(new FacilityLog.Entry(
                now,
                KIND,
                event.type().name(),
                event.outcome().name(),
                event.accountId(),
                event.loginId(),
                event.terminalId(),
                event.sourceAddress(),
                null,
                canonical(event, now))));
    }

    /** The event as JSON: what the leaf hash covers and what an auditor reads in an export. */
    static byte[] canonical(SecurityEvent event, Instant recordedAt) {
        Map<String, Object> json = new TreeMap<>();
        json.put("kind", KIND);
        json.put("recorded", recordedAt.toString());
        json.put("type", event.type().name());
        json.put("outcome", event.outcome().name());
        Map<String, Object> agent = new TreeMap<>();
        if (event.accountId() != null) {
            agent.put("accountId", event.accountId());
        }
        if (event.loginId() != null) {
            agent.put("loginId", event.loginId());
        }
        json.put("agent", agent);
        if (event.terminalId() != null) {
            json.put("terminalId", event.terminalId());
        }
        if (event.sourceAddress() != null) {
            json.put("source", event.sourceAddress());
        }
        json.put("detail", new TreeMap<>(event.detail()));
        return Json.canonicalize(json);
    }

    @Override
    public List<StoredSecurityEvent> latest(int limit) {
        return jdbc.sql("SELECT * FROM audit_event WHERE kind = ? ORDER BY leaf_index DESC LIMIT ?")
                .params(KIND, limit)
                .query(LoggedSecurityEvents::map)
                .list();
    }

    @Override
    public List<StoredSecurityEvent> latestOf(long accountId, int limit) {
        return jdbc.sql(
                        """
                        SELECT * FROM audit_event WHERE kind = ? AND account_id = ?
                        ORDER BY recorded_at DESC, leaf_index DESC LIMIT ?""")
                .params(KIND, accountId, limit)
                .query(LoggedSecurityEvents::map)
                .list();
    }

    @SuppressWarnings("unchecked")
    private static StoredSecurityEvent map(ResultSet rs, int row) throws SQLException {
        Map<String, String> detail = new LinkedHashMap<>();
        String stored = rs.getString("body");
        try {
            Object body = stored == null ? Map.of("detail", Map.of("expired", "true")) : Json.parse(stored);
            if (body instanceof Map<?, ?> m && m.get("detail") instanceof Map<?, ?> d) {
                ((Map<String, Object>) d).forEach((k, v) -> detail.put(k, String.valueOf(v)));
            }
        } catch (JsonParseException e) {
            detail.put("unreadable", e.getMessage());
        }
        return new StoredSecurityEvent(
                rs.getLong("leaf_index"),
                rs.getTimestamp("recorded_at").toInstant(),
                SecurityEventType.valueOf(rs.getString("type")),
                SecurityEvent.Outcome.valueOf(rs.getString("outcome")),
                (Long) rs.getObject("account_id"),
                rs.getString("login_id"),
                (Long) rs.getObject("terminal_id"),
                rs.getString("source_addr"),
                detail);
    }
}
