package jp.mamori.server.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@link AccountFacts} read straight from the identity tables. */
@Component
class AccountFactsQuery implements AccountFacts {

    private static final String PEOPLE = "a.status = 'ACTIVE' AND a.kind IN ('STAFF', 'VENDOR')";
    private final JdbcClient jdbc;

    AccountFactsQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<AccountRef> dormantSince(Instant cutoff) {
        return jdbc.sql("SELECT a.* FROM account a WHERE " + PEOPLE
                        + " AND coalesce(a.last_login_at, a.created_at) < ? ORDER BY a.login_id")
                .param(Timestamp.from(cutoff))
                .query(AccountFactsQuery::ref)
                .list();
    }

    @Override
    public List<AccountRef> expiredButEnabled(Instant now) {
        return jdbc.sql("SELECT a.* FROM account a WHERE a.status = 'ACTIVE' AND a.expires_at < ? ORDER BY a.login_id")
                .param(Timestamp.from(now))
                .query(AccountFactsQuery::ref)
                .list();
    }

    @Override
    public List<VendorAccount> vendorAccounts() {
        return jdbc.sql("SELECT * FROM account WHERE kind = 'VENDOR' OR job_type = 'VENDOR' ORDER BY lower(login_id)")
                .query((rs, n) -> {
                    Timestamp expires = rs.getTimestamp("expires_at");
                    Timestamp last = rs.getTimestamp("last_login_at");
                    return new VendorAccount(
                            rs.getLong("id"),
                            rs.getString("login_id"),
                            rs.getString("display_name"),
                            "ACTIVE".equals(rs.getString("status")),
                            expires == null ? null : expires.toInstant(),
                            last == null ? null : last.toInstant());
                })
                .list();
    }

    @Override
    public SecondFactorCoverage secondFactorCoverage() {
        return jdbc.sql("SELECT count(*), count(*) FILTER (WHERE"
                        + " EXISTS (SELECT 1 FROM totp_credential t WHERE t.account_id = a.id AND t.confirmed)"
                        + " OR EXISTS (SELECT 1 FROM ic_card c WHERE c.account_id = a.id AND c.revoked_at IS NULL)"
                        + " OR EXISTS (SELECT 1 FROM user_entities u JOIN user_credentials k"
                        + " ON k.user_entity_user_id = u.id WHERE lower(u.name) = lower(a.login_id)))"
                        + " FROM account a WHERE " + PEOPLE)
                .query((rs, n) -> new SecondFactorCoverage(rs.getInt(1), rs.getInt(2)))
                .single();
    }

    @Override
    public AccessMatrix accessMatrix() {
        var counts = jdbc.sql(
                        """
                        SELECT (SELECT count(*) FROM role),
                               (SELECT count(DISTINCT role_id) FROM role_permission),
                               (SELECT count(*) FROM role_permission)""")
                .query((rs, n) -> new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3)})
                .single();
        List<AccountRef> admins = jdbc.sql(
                        """
                        SELECT a.* FROM account a WHERE a.status = 'ACTIVE' AND EXISTS (
                            SELECT 1 FROM account_role ar JOIN role r ON r.id = ar.role_id
                            WHERE ar.account_id = a.id AND r.administrator)
                        ORDER BY a.login_id""")
                .query(AccountFactsQuery::ref)
                .list();
        return new AccessMatrix(counts[0], counts[1], counts[2], admins);
    }

    @Override
    public List<AccountSnapshot> allAccounts() {
        return jdbc.sql(
                        """
                        SELECT a.*, d.name_ja AS department_name,
                               coalesce((SELECT string_agg(r.name_ja, '\t' ORDER BY r.id) FROM account_role ar
                                         JOIN role r ON r.id = ar.role_id WHERE ar.account_id = a.id), '') AS role_names,
                               coalesce((SELECT bool_or(r.administrator) FROM account_role ar
                                         JOIN role r ON r.id = ar.role_id WHERE ar.account_id = a.id), false) AS is_admin,
                               EXISTS (SELECT 1 FROM totp_credential t WHERE t.account_id = a.id AND t.confirmed) AS has_totp,
                               EXISTS (SELECT 1 FROM ic_card c WHERE c.account_id = a.id AND c.revoked_at IS NULL) AS has_card,
                               EXISTS (SELECT 1 FROM user_entities u JOIN user_credentials k ON k.user_entity_user_id = u.id
                                       WHERE lower(u.name) = lower(a.login_id)) AS has_passkey
                        FROM account a LEFT JOIN department d ON d.id = a.department_id
                        ORDER BY a.kind, a.login_id""")
                .query((rs, n) -> {
                    String roles = rs.getString("role_names");
                    List<String> factors = new java.util.ArrayList<>();
                    if (rs.getBoolean("has_totp")) {
                        factors.add("TOTP");
                    }
                    if (rs.getBoolean("has_card")) {
                        factors.add("IC_CARD");
                    }
                    if (rs.getBoolean("has_passkey")) {
                        factors.add("PASSKEY");
                    }
                    return new AccountSnapshot(
                            rs.getLong("id"),
                            rs.getString("login_id"),
                            rs.getString("display_name"),
                            JobType.valueOf(rs.getString("job_type")),
                            rs.getString("department_name"),
                            roles.isEmpty() ? List.of() : List.of(roles.split("\t")),
                            rs.getBoolean("is_admin"),
                            AccountKind.valueOf(rs.getString("kind")),
                            rs.getString("status"),
                            instant(rs, "status_changed_at"),
                            instant(rs, "expires_at"),
                            rs.getTimestamp("created_at").toInstant(),
                            instant(rs, "last_login_at"),
                            List.copyOf(factors));
                })
                .list();
    }

    private static @org.jspecify.annotations.Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    @Override
    public PasswordRules passwordRules() {
        return new PasswordRules(
                PasswordPolicy.MIN_LENGTH_SINGLE_FACTOR,
                PasswordPolicy.MIN_LENGTH_WITH_SECOND_FACTOR,
                true,
                true,
                PasswordService.HISTORY);
    }

    private static AccountRef ref(ResultSet rs, int row) throws SQLException {
        Timestamp last = rs.getTimestamp("last_login_at");
        return new AccountRef(
                rs.getLong("id"),
                rs.getString("login_id"),
                rs.getString("display_name"),
                AccountKind.valueOf(rs.getString("kind")),
                last == null ? null : last.toInstant());
    }
}
