package jp.mamori.server.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Service
class JdbcSecurityEvents implements SecurityEvents {

    private static final TypeReference<Map<String, String>> DETAIL = new TypeReference<>() {};
    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    JdbcSecurityEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(SecurityEvent event) {
        jdbc.sql(
                        """
                        INSERT INTO security_event (type, outcome, account_id, login_id, terminal_id, source_addr, detail)
                        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)""")
                .params(
                        event.type().name(),
                        event.outcome().name(),
                        event.accountId(),
                        event.loginId(),
                        event.terminalId(),
                        event.sourceAddress(),
                        json.writeValueAsString(event.detail()))
                .update();
    }

    @Override
    public List<StoredSecurityEvent> latest(int limit) {
        return jdbc.sql("SELECT * FROM security_event ORDER BY id DESC LIMIT ?")
                .param(limit)
                .query(this::map)
                .list();
    }

    @Override
    public List<StoredSecurityEvent> latestOf(long accountId, int limit) {
        return jdbc.sql("SELECT * FROM security_event WHERE account_id = ? ORDER BY id DESC LIMIT ?")
                .params(accountId, limit)
                .query(this::map)
                .list();
    }

    private StoredSecurityEvent map(ResultSet rs, int row) throws SQLException {
        return new StoredSecurityEvent(
                rs.getLong("id"),
                rs.getTimestamp("recorded_at").toInstant(),
                SecurityEventType.valueOf(rs.getString("type")),
                SecurityEvent.Outcome.valueOf(rs.getString("outcome")),
                (Long) rs.getObject("account_id"),
                rs.getString("login_id"),
                (Long) rs.getObject("terminal_id"),
                rs.getString("source_addr"),
                json.readValue(rs.getString("detail"), DETAIL));
    }
}
