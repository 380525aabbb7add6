package jp.mamori.server.audit;

import java.util.ArrayList;
import java.util.List;
import jp.mamori.server.platform.Dashboard;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What the access log shows on the start page. */
@Component
class AccessLogDashboard implements Dashboard {

    private final JdbcClient jdbc;
    private final SyslogReceiver syslog;

    AccessLogDashboard(JdbcClient jdbc, SyslogReceiver syslog) {
        this.jdbc = jdbc;
        this.syslog = syslog;
    }

    @Override
    public List<Card> cards() {
        // Leaf indexes grow with time: the events of the last day are those after the first of them.
        long today = jdbc.sql(
                        """
                        SELECT coalesce(sum(l.tree_size - coalesce((SELECT e.leaf_index FROM audit_event e
                                WHERE e.log_id = l.id AND e.recorded_at > now() - interval '24 hours'
                                ORDER BY e.recorded_at LIMIT 1), l.tree_size)), 0) FROM audit_log l""")
                .query(Long.class)
                .single();
        long failures = jdbc.sql(
                        """
                        SELECT count(*) FROM audit_event WHERE recorded_at > now() - interval '24 hours'
                        AND kind = 'security' AND outcome = 'FAILURE'""")
                .query(Long.class)
                .single();
        long skewed = jdbc.sql(
                        "SELECT count(*) FROM audit_event WHERE skewed AND recorded_at > now() - interval '24 hours'")
                .query(Long.class)
                .single();
        List<Card> cards = new ArrayList<>(List.of(
                new Card("dash.audit.title", String.format("%,d", today), "dash.audit.note", "/audit", "ok"),
                new Card(
                        "dash.failures.title",
                        String.valueOf(failures),
                        "dash.failures.note",
                        "/admin/events",
                        failures > 20 ? "warn" : "ok"),
                new Card(
                        "dash.skew.title",
                        String.format("%,d", skewed),
                        "dash.skew.note",
                        "/audit",
                        skewed > 0 ? "warn" : "ok")));
        long malformed = syslog.counters().malformed.get();
        if (syslog.enabled() || malformed > 0) {
            cards.add(new Card(
                    "dash.syslog.title",
                    String.format("%,d", malformed),
                    "dash.syslog.note",
                    "/audit",
                    malformed > 0 ? "warn" : "ok"));
        }
        return cards;
    }
}
