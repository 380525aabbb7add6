package jp.mamori.server.identity;

import java.util.List;
import jp.mamori.server.platform.Dashboard;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What identity shows on the start page. */
@Component
class IdentityDashboard implements Dashboard {

    private final JdbcClient jdbc;
    private final BreakGlass breakGlass;

    IdentityDashboard(JdbcClient jdbc, BreakGlass breakGlass) {
        this.jdbc = jdbc;
        this.breakGlass = breakGlass;
    }

    @Override
    public List<Card> cards() {
        int active = count("SELECT count(*) FROM account WHERE status = 'ACTIVE' AND kind <> 'SYSTEM'");
        int withSecond = count(
                """
                SELECT count(*) FROM account a WHERE a.status = 'ACTIVE' AND a.kind <> 'SYSTEM' AND (
                    EXISTS (SELECT 1 FROM totp_credential t WHERE t.account_id = a.id AND t.confirmed)
                    OR EXISTS (SELECT 1 FROM ic_card c WHERE c.account_id = a.id AND c.revoked_at IS NULL)
                    OR EXISTS (SELECT 1 FROM user_credentials k JOIN user_entities u ON u.id = k.user_entity_user_id
                               WHERE lower(u.name) = lower(a.login_id)))""");
        int percent = active == 0 ? 0 : Math.round(100f * withSecond / active);
        int pending = breakGlass.unreviewedCount();
        int locked = count("SELECT count(*) FROM account WHERE admin_locked AND status = 'ACTIVE'");
        int expiring = count(
                """
                SELECT count(*) FROM account WHERE kind = 'VENDOR' AND status = 'ACTIVE'
                AND expires_at BETWEEN now() AND now() + interval '30 days'""");
        return List.of(
                new Card(
                        "dash.mfa.title",
                        percent + "%",
                        "dash.mfa.note",
                        "/admin/accounts",
                        percent == 100 ? "ok" : "warn"),
                new Card(
                        "dash.breakGlass.title",
                        String.valueOf(pending),
                        "dash.breakGlass.note",
                        "/admin/break-glass",
                        pending == 0 ? "ok" : "alert"),
                new Card(
                        "dash.locked.title",
                        String.valueOf(locked),
                        "dash.locked.note",
                        "/admin/accounts",
                        locked == 0 ? "ok" : "warn"),
                new Card(
                        "dash.vendors.title",
                        String.valueOf(expiring),
                        "dash.vendors.note",
                        "/admin/accounts",
                        expiring == 0 ? "ok" : "warn"));
    }

    private int count(String sql) {
        return jdbc.sql(sql).query(Integer.class).single();
    }
}
