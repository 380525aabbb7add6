package jp.mamori.server.identity;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import jp.mamori.server.platform.SecretSealer;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Registered terminals. A terminal proves itself with a credential issued at registration and
 * kept in a cookie on that PC; only a keyed digest of it is stored.
 */
@Repository
class TerminalStore {

    private static final String PURPOSE = "terminal-credential";
    private final JdbcClient jdbc;
    private final SecretSealer sealer;
    private final SecureRandom random = new SecureRandom();

    TerminalStore(JdbcClient jdbc, SecretSealer sealer) {
        this.jdbc = jdbc;
        this.sealer = sealer;
    }

    record Registered(long id, String credential) {}

    Registered register(String name, String location, @Nullable Long departmentId, boolean shared, int idleSeconds) {
        String credential = newCredential();
        long id = jdbc.sql(
                        """
                        INSERT INTO terminal (name, location, department_id, shared, credential_digest, idle_lock_seconds)
                        VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(name, location, departmentId, shared, sealer.digest(PURPOSE, credential), idleSeconds)
                .query(Long.class)
                .single();
        return new Registered(id, credential);
    }

    /** A new credential for a terminal whose old one is lost or leaked; the old one stops working. */
    String reissue(long id) {
        String credential = newCredential();
        jdbc.sql("UPDATE terminal SET credential_digest = ? WHERE id = ?")
                .params(sealer.digest(PURPOSE, credential), id)
                .update();
        return credential;
    }

    Optional<Terminal> byCredential(String credential) {
        return jdbc.sql("SELECT * FROM terminal WHERE credential_digest = ? AND NOT disabled")
                .param(sealer.digest(PURPOSE, credential))
                .query(TerminalStore::map)
                .optional();
    }

    Optional<Terminal> byId(long id) {
        return jdbc.sql("SELECT * FROM terminal WHERE id = ?")
                .param(id)
                .query(TerminalStore::map)
                .optional();
    }

    /** The terminal row locked for this transaction: the lock that keeps one active user per terminal. */
    Terminal lockForUpdate(long id) {
        return jdbc.sql("SELECT * FROM terminal WHERE id = ? FOR UPDATE")
                .param(id)
                .query(TerminalStore::map)
                .single();
    }

    void setActive(long id, @Nullable Long accountId, @Nullable String sessionId) {
        jdbc.sql(
                        """
                        UPDATE terminal SET active_account_id = ?, active_session_id = ?,
                            active_since = CASE WHEN ? IS NULL THEN NULL ELSE now() END WHERE id = ?""")
                .params(accountId, sessionId, accountId, id)
                .update();
    }

    List<Terminal> all() {
        return jdbc.sql("SELECT * FROM terminal ORDER BY name")
                .query(TerminalStore::map)
                .list();
    }

    private String newCredential() {
        byte[] b = new byte[20];
        random.nextBytes(b);
        return Base32.encode(b);
    }

    private static Terminal map(ResultSet rs, int row) throws SQLException {
        Timestamp since = rs.getTimestamp("active_since");
        return new Terminal(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("location"),
                (Long) rs.getObject("department_id"),
                rs.getBoolean("shared"),
                rs.getInt("idle_lock_seconds"),
                rs.getBoolean("disabled"),
                (Long) rs.getObject("active_account_id"),
                rs.getString("active_session_id"),
                since == null ? null : since.toInstant());
    }
}
