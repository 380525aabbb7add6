package jp.mamori.server.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AccountStore {

    private static final String SELECT =
            """
            SELECT a.*,
                   coalesce((SELECT string_agg(r.code, ',') FROM account_role ar JOIN role r ON r.id = ar.role_id
                             WHERE ar.account_id = a.id), '') AS role_codes,
                   coalesce((SELECT bool_or(r.administrator) FROM account_role ar JOIN role r ON r.id = ar.role_id
                             WHERE ar.account_id = a.id), false) AS is_admin,
                   coalesce((SELECT bool_or(r.factor_policy = 'TWO_FACTOR') FROM account_role ar
                             JOIN role r ON r.id = ar.role_id WHERE ar.account_id = a.id), true) AS needs_two
            FROM account a
            """;

    private final JdbcClient jdbc;

    AccountStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Account> byLoginId(String loginId) {
        return jdbc.sql(SELECT + " WHERE lower(a.login_id) = lower(?)")
                .param(loginId)
                .query(AccountStore::map)
                .optional();
    }

    Optional<Account> byId(long id) {
        return jdbc.sql(SELECT + " WHERE a.id = ?")
                .param(id)
                .query(AccountStore::map)
                .optional();
    }

    List<Account> all() {
        return jdbc.sql(SELECT + " ORDER BY a.kind, a.login_id")
                .query(AccountStore::map)
                .list();
    }

    boolean anyAdministrator() {
        return jdbc.sql(
                        """
                        SELECT EXISTS (SELECT 1 FROM account a JOIN account_role ar ON ar.account_id = a.id
                                       JOIN role r ON r.id = ar.role_id
                                       WHERE r.administrator AND a.status = 'ACTIVE')""")
                .query(Boolean.class)
                .single();
    }

    long create(NewAccount n) {
        return jdbc.sql(
                        """
                        INSERT INTO account (login_id, display_name, kind, job_type, department_id, birth_date, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(
                        n.loginId(),
                        n.displayName(),
                        n.kind().name(),
                        n.jobType().name(),
                        n.departmentId(),
                        n.birthDate(),
                        n.expiresAt() == null ? null : Timestamp.from(n.expiresAt()))
                .query(Long.class)
                .single();
    }

    void setRoles(long accountId, Set<String> roleCodes) {
        jdbc.sql("DELETE FROM account_role WHERE account_id = ?")
                .param(accountId)
                .update();
        for (String code : roleCodes) {
            int n = jdbc.sql("INSERT INTO account_role (account_id, role_id) SELECT ?, id FROM role WHERE code = ?")
                    .params(accountId, code)
                    .update();
            if (n == 0) {
                throw new IllegalArgumentException("No role with the code " + code);
            }
        }
    }

    void setPassword(long accountId, String hash) {
        jdbc.sql("UPDATE account SET password_hash = ?, password_changed_at = now() WHERE id = ?")
                .params(hash, accountId)
                .update();
        jdbc.sql("INSERT INTO password_history (account_id, hash) VALUES (?, ?)")
                .params(accountId, hash)
                .update();
    }

    List<String> passwordHistory(long accountId, int last) {
        return jdbc.sql("SELECT hash FROM password_history WHERE account_id = ? ORDER BY created_at DESC LIMIT ?")
                .params(accountId, last)
                .query(String.class)
                .list();
    }

    void setStatus(long accountId, Account.Status status, String reason) {
        jdbc.sql("UPDATE account SET status = ?, status_reason = ?, status_changed_at = now() WHERE id = ?")
                .params(status.name(), reason, accountId)
                .update();
    }

    void setAdminLocked(long accountId, boolean locked) {
        jdbc.sql("UPDATE account SET admin_locked = ? WHERE id = ?")
                .params(locked, accountId)
                .update();
    }

    void touchLogin(long accountId) {
        jdbc.sql("UPDATE account SET last_login_at = now() WHERE id = ?")
                .param(accountId)
                .update();
    }

    record NewAccount(
            String loginId,
            String displayName,
            AccountKind kind,
            JobType jobType,
            @Nullable Long departmentId,
            @Nullable LocalDate birthDate,
            @Nullable Instant expiresAt) {}

    private static Account map(ResultSet rs, int row) throws SQLException {
        Timestamp expires = rs.getTimestamp("expires_at");
        Timestamp last = rs.getTimestamp("last_login_at");
        java.sql.Date birth = rs.getDate("birth_date");
        String codes = rs.getString("role_codes");
        Set<String> roles = codes.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(codes.split(",")));
        return new Account(
                rs.getLong("id"),
                rs.getString("login_id"),
                rs.getString("display_name"),
                AccountKind.valueOf(rs.getString("kind")),
                JobType.valueOf(rs.getString("job_type")),
                (Long) rs.getObject("department_id"),
                birth == null ? null : birth.toLocalDate(),
                Account.Status.valueOf(rs.getString("status")),
                rs.getString("status_reason"),
                expires == null ? null : expires.toInstant(),
                rs.getString("password_hash"),
                last == null ? null : last.toInstant(),
                rs.getBoolean("admin_locked"),
                roles,
                rs.getBoolean("is_admin"),
                rs.getBoolean("needs_two") ? Account.FactorPolicy.TWO_FACTOR : Account.FactorPolicy.PASSWORD);
    }
}
