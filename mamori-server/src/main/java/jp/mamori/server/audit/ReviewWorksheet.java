package jp.mamori.server.audit;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The checks of one review period (点検項目): what the guideline's periodic review of access logs
 * looks at, each counted from the log with the events behind it.
 */
@Component
class ReviewWorksheet {

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    /** At most this many events are listed under a check; the count is always complete. */
    static final int LISTED = 200;

    static final List<String> ADMINISTRATIVE = List.of(
            SecurityEventType.ACCOUNT_CHANGED.name(),
            SecurityEventType.ROLE_CHANGED.name(),
            SecurityEventType.TERMINAL_CHANGED.name(),
            SecurityEventType.CLIENT_CHANGED.name(),
            SecurityEventType.FACTOR_REMOVED.name(),
            SecurityEventType.UNLOCK.name(),
            SecurityEventType.SETUP.name(),
            SecurityEventType.BACKUP_REPOSITORY_CHANGED.name(),
            SecurityEventType.ACCESS_LOG_EXPIRED.name());

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final JdbcClient jdbc;
    private final FacilityLog log;
    private final VendorAccounts vendors;
    private final ReviewSettings settings;
    private final ObjectProvider<ApprovedMaintenance> approved;

    ReviewWorksheet(
            JdbcClient jdbc,
            FacilityLog log,
            VendorAccounts vendors,
            ReviewSettings settings,
            ObjectProvider<ApprovedMaintenance> approved) {
        this.jdbc = jdbc;
        this.log = log;
        this.vendors = vendors;
        this.settings = settings;
        this.approved = approved;
    }

    /** The checks in the order they are reviewed. Message keys are {@code review.check.<key>}. */
    enum CheckKey {
        BREAK_GLASS,
        VENDOR,
        OFF_HOURS,
        FAILED_SIGN_IN,
        ADMINISTRATIVE,
        MASS_ACCESS
    }

    /**
     * One check: its count and the lines behind it.
     *
     * @param headers message keys of the columns
     * @param lines at most {@link #LISTED}
     */
    record Check(CheckKey key, long count, List<String> headers, List<Line> lines, @Nullable Long outsideWindows) {

        Check(CheckKey key, long count, List<String> headers, List<Line> lines) {
            this(key, count, headers, lines, null);
        }

        /** Vendor accesses inside an approved window; null when the windows are not known. */
        public @Nullable Long insideWindows() {
            return outsideWindows == null ? null : count - outsideWindows;
        }

        public boolean truncated() {
            return count > lines.size() && key != CheckKey.VENDOR && key != CheckKey.MASS_ACCESS;
        }
    }

    /**
     * A line of a check: the cells, a link into the access log search, and an optional status
     * (a message key) such as whether a break-the-glass use was reviewed.
     */
    record Line(List<String> cells, String link, @Nullable String statusKey) {}

    List<Check> checks(LocalDate start, LocalDate end) {
        Timestamp t0 = Timestamp.from(start.atStartOfDay(JST).toInstant());
        Timestamp t1 = Timestamp.from(end.atStartOfDay(JST).toInstant());
        int id = log.id();
        return List.of(
                breakGlass(id, t0, t1),
                vendor(id, t0, t1),
                offHours(id, t0, t1),
                failedSignIns(id, t0, t1),
                administrative(id, t0, t1),
                massAccess(id, t0, t1));
    }

    private Check breakGlass(int id, Timestamp t0, Timestamp t1) {
        String where =
                " FROM audit_event s WHERE s.log_id = ? AND s.recorded_at >= ? AND s.recorded_at < ? AND s.kind = 'security'"
                        + " AND s.type = 'BREAK_GLASS_START'";
        long count = count(where, id, t0, t1);
        // A use is reviewed when a BREAK_GLASS_REVIEWED event names the same use, at any time.
        List<Line> lines = jdbc.sql(
                        "SELECT s.recorded_at, s.login_id, s.body::jsonb #>> '{detail,break_glass_id}', s.body IS NULL,"
                                + " EXISTS (SELECT 1 FROM audit_event r WHERE r.log_id = s.log_id"
                                + " AND r.kind = 'security' AND r.type = 'BREAK_GLASS_REVIEWED'"
                                + " AND r.body::jsonb #>> '{detail,break_glass_id}' = s.body::jsonb #>> '{detail,break_glass_id}')"
                                + where + " ORDER BY s.recorded_at LIMIT " + LISTED)
                .params(id, t0, t1)
                .query((rs, n) -> {
                    Timestamp at = rs.getTimestamp(1);
                    String user = rs.getString(2);
                    String status = rs.getBoolean(4)
                            ? "review.status.expired"
                            : rs.getBoolean(5) ? "review.status.reviewed" : "review.status.unreviewed";
                    return new Line(
                            List.of(minute(at), nz(user), nz(rs.getString(3))), search(user, null, at, at), status);
                })
                .list();
        return new Check(
                CheckKey.BREAK_GLASS,
                count,
                List.of("review.col.time", "review.col.user", "review.col.breakGlassId", "review.col.reviewed"),
                lines);
    }

    private Check vendor(int id, Timestamp t0, Timestamp t1) {
        String[] logins = vendors.vendorLoginIds().toArray(String[]::new);
        ApprovedMaintenance windows = approved.getIfAvailable();
        if (windows == null) {
            return vendorByHour(id, t0, t1, logins);
        }
        // Each approved window once per vendor account it is approved for.
        List<String> windowLogins = new ArrayList<>();
        List<String> starts = new ArrayList<>();
        List<String> ends = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (ApprovedMaintenance.ApprovedWindow w : windows.windows(t0.toInstant(), t1.toInstant())) {
            for (String login : w.loginIds()) {
                windowLogins.add(login.toLowerCase(java.util.Locale.ROOT));
                starts.add(w.start().toString());
                ends.add(w.end().toString());
                labels.add(w.line() + (w.reference() == null ? "" : " (" + w.reference() + ")"));
            }
        }
        String with = "WITH w(login, s, e, label) AS (SELECT login, s::timestamptz, e::timestamptz, label"
                + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS u(login, s, e, label))";
        String inside = "(SELECT min(w.label) FROM w WHERE w.login = lower(a.login_id)"
                + " AND a.recorded_at >= w.s AND a.recorded_at < w.e)";
        String where = " FROM audit_event a WHERE a.log_id = ? AND a.recorded_at >= ? AND a.recorded_at < ?"
                + " AND lower(a.login_id) = ANY(?)";
        Object[] params = {
            windowLogins.toArray(String[]::new),
            starts.toArray(String[]::new),
            ends.toArray(String[]::new),
            labels.toArray(String[]::new),
            id,
            t0,
            t1,
            logins
        };
        var counts = jdbc.sql(with + " SELECT count(*), count(*) FILTER (WHERE label IS NULL) FROM (SELECT " + inside
                        + " AS label" + where + ") v")
                .params(params)
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .single();
        // By day and hour and window, so that what lies outside every window stands apart.
        List<Line> lines = jdbc.sql(with
                        + " SELECT hour, login_id, count(*) FILTER (WHERE kind = 'security'),"
                        + " count(*) FILTER (WHERE kind <> 'security'), min(recorded_at), label FROM ("
                        + " SELECT date_trunc('hour', a.recorded_at AT TIME ZONE 'Asia/Tokyo') AS hour, a.login_id,"
                        + " a.kind, a.recorded_at, " + inside + " AS label" + where + ") v"
                        + " GROUP BY hour, login_id, label ORDER BY hour, login_id, label NULLS FIRST LIMIT " + LISTED)
                .params(params)
                .query((rs, n) -> {
                    Timestamp first = rs.getTimestamp(5);
                    String user = rs.getString(2);
                    String label = rs.getString(6);
                    return new Line(
                            List.of(
                                    rs.getTimestamp(1).toLocalDateTime().format(MINUTE),
                                    nz(user),
                                    String.valueOf(rs.getLong(3)),
                                    String.valueOf(rs.getLong(4)),
                                    nz(label)),
                            search(user, null, first, first),
                            label == null ? "review.status.outsideWindow" : "review.status.insideWindow");
                })
                .list();
        return new Check(
                CheckKey.VENDOR,
                counts[0],
                List.of(
                        "review.col.hour",
                        "review.col.user",
                        "review.col.securityEvents",
                        "review.col.accessEvents",
                        "review.col.window",
                        "review.col.inWindow"),
                lines,
                counts[1]);
    }

    /** Without the approved windows: the vendor accounts' events by day and hour only. */
    private Check vendorByHour(int id, Timestamp t0, Timestamp t1, String[] logins) {
        String where = " FROM audit_event WHERE log_id = ? AND recorded_at >= ? AND recorded_at < ?"
                + " AND lower(login_id) = ANY(?)";
        long count = jdbc.sql("SELECT count(*)" + where)
                .params(id, t0, t1, logins)
                .query(Long.class)
                .single();
        // By day and hour, so the reviewer can lay it beside the approved work plan.
        List<Line> lines = jdbc.sql(
                        "SELECT date_trunc('hour', recorded_at AT TIME ZONE 'Asia/Tokyo') AS hour, login_id,"
                                + " count(*) FILTER (WHERE kind = 'security'), count(*) FILTER (WHERE kind <> 'security'),"
                                + " min(recorded_at)"
                                + where + " GROUP BY 1, 2 ORDER BY 1, 2 LIMIT " + LISTED)
                .params(id, t0, t1, logins)
                .query((rs, n) -> {
                    Timestamp first = rs.getTimestamp(5);
                    String user = rs.getString(2);
                    return new Line(
                            List.of(
                                    rs.getTimestamp(1).toLocalDateTime().format(MINUTE),
                                    nz(user),
                                    String.valueOf(rs.getLong(3)),
                                    String.valueOf(rs.getLong(4))),
                            search(user, null, first, first),
                            null);
                })
                .list();
        return new Check(
                CheckKey.VENDOR,
                count,
                List.of("review.col.hour", "review.col.user", "review.col.securityEvents", "review.col.accessEvents"),
                lines);
    }

    private Check offHours(int id, Timestamp t0, Timestamp t1) {
        Integer[] workDays = settings.workDays().stream().map(d -> d.getValue()).toArray(Integer[]::new);
        LocalTime from = settings.workStartTime();
        LocalTime to = settings.workEndTime();
        String where = " FROM audit_event WHERE log_id = ? AND recorded_at >= ? AND recorded_at < ?"
                + " AND (kind <> 'security' OR (outcome = 'SUCCESS'"
                + " AND type IN ('LOGIN', 'TERMINAL_SIGN_IN', 'BREAK_GLASS_START')))"
                + " AND NOT (extract(isodow FROM recorded_at AT TIME ZONE 'Asia/Tokyo')::int = ANY(?)"
                + " AND NOT (recorded_at AT TIME ZONE 'Asia/Tokyo')::date = ANY(?::date[])"
                + " AND (recorded_at AT TIME ZONE 'Asia/Tokyo')::time >= ?::time"
                + " AND (recorded_at AT TIME ZONE 'Asia/Tokyo')::time < ?::time)";
        // National holidays are days off like weekends (the period in Japan time, one day of margin).
        String[] holidays = settings.holidays()
                ? JapaneseHolidays.between(
                                t0.toInstant().atZone(JST).toLocalDate().minusDays(1),
                                t1.toInstant().atZone(JST).toLocalDate().plusDays(1))
                        .stream()
                        .map(LocalDate::toString)
                        .toArray(String[]::new)
                : new String[0];
        Object[] params = {id, t0, t1, workDays, holidays, from.toString(), to.toString()};
        long count = jdbc.sql("SELECT count(*)" + where)
                .params(params)
                .query(Long.class)
                .single();
        List<Line> lines = jdbc.sql("SELECT recorded_at, login_id, type, patient_id" + where
                        + " ORDER BY recorded_at LIMIT " + LISTED)
                .params(params)
                .query((rs, n) -> {
                    Timestamp at = rs.getTimestamp(1);
                    String user = rs.getString(2);
                    return new Line(
                            List.of(minute(at), nz(user), rs.getString(3), nz(rs.getString(4))),
                            search(user, rs.getString(4), at, at),
                            null);
                })
                .list();
        return new Check(
                CheckKey.OFF_HOURS,
                count,
                List.of("review.col.time", "review.col.user", "review.col.type", "review.col.patient"),
                lines);
    }

    private Check failedSignIns(int id, Timestamp t0, Timestamp t1) {
        String where =
                " FROM audit_event WHERE log_id = ? AND recorded_at >= ? AND recorded_at < ? AND kind = 'security'"
                        + " AND ((outcome = 'FAILURE' AND type IN ('LOGIN', 'SECOND_FACTOR', 'TERMINAL_SIGN_IN'))"
                        + " OR type = 'LOCKOUT')";
        return listed(CheckKey.FAILED_SIGN_IN, where, "source_addr", "review.col.source", id, t0, t1);
    }

    private Check administrative(int id, Timestamp t0, Timestamp t1) {
        String where =
                " FROM audit_event WHERE log_id = ? AND recorded_at >= ? AND recorded_at < ? AND kind = 'security'"
                        + " AND type IN ('" + String.join("', '", ADMINISTRATIVE) + "')";
        return listed(
                CheckKey.ADMINISTRATIVE, where, "(body::jsonb -> 'detail')::text", "review.col.detail", id, t0, t1);
    }

    private Check listed(
            CheckKey key, String where, String lastColumn, String lastHeader, int id, Timestamp t0, Timestamp t1) {
        long count = count(where, id, t0, t1);
        List<Line> lines = jdbc.sql("SELECT recorded_at, login_id, type, outcome, " + lastColumn + where
                        + " ORDER BY recorded_at LIMIT " + LISTED)
                .params(id, t0, t1)
                .query((rs, n) -> {
                    Timestamp at = rs.getTimestamp(1);
                    String user = rs.getString(2);
                    return new Line(
                            List.of(minute(at), nz(user), rs.getString(3), rs.getString(4), nz(rs.getString(5))),
                            search(user, null, at, at),
                            null);
                })
                .list();
        return new Check(
                key,
                count,
                List.of("review.col.time", "review.col.user", "review.col.type", "review.col.outcome", lastHeader),
                lines);
    }

    private Check massAccess(int id, Timestamp t0, Timestamp t1) {
        String range = " FROM audit_event WHERE log_id = ? AND recorded_at >= ? AND recorded_at < ?"
                + " AND kind <> 'security' AND patient_id IS NOT NULL";
        long users = jdbc.sql("SELECT count(DISTINCT login_id)" + range)
                .params(id, t0, t1)
                .query(Long.class)
                .single();
        // Per user: how many patients, how many events, and the three patients read most.
        List<Line> lines = jdbc.sql(
                        """
                        SELECT login_id, count(DISTINCT patient_id) AS patients, sum(n) AS events,
                               string_agg(CASE WHEN rank <= 3 THEN patient_id || ' (' || n || ')' END, ', '
                                          ORDER BY n DESC, patient_id) AS busiest
                        FROM (SELECT login_id, patient_id, count(*) AS n,
                                     row_number() OVER (PARTITION BY login_id ORDER BY count(*) DESC, patient_id) AS rank
                              """
                                + range
                                + """
                         GROUP BY login_id, patient_id) per_patient
                        GROUP BY login_id ORDER BY patients DESC, events DESC, login_id LIMIT 20""")
                .params(id, t0, t1)
                .query((rs, n) -> {
                    String user = rs.getString(1);
                    return new Line(
                            List.of(
                                    nz(user),
                                    String.valueOf(rs.getLong(2)),
                                    String.valueOf(rs.getLong(3)),
                                    nz(rs.getString(4))),
                            search(user, null, t0, new Timestamp(t1.getTime() - 1)),
                            null);
                })
                .list();
        return new Check(
                CheckKey.MASS_ACCESS,
                users,
                List.of("review.col.user", "review.col.patients", "review.col.events", "review.col.busiest"),
                lines);
    }

    private long count(String where, int id, Timestamp t0, Timestamp t1) {
        return jdbc.sql("SELECT count(*)" + where)
                .params(id, t0, t1)
                .query(Long.class)
                .single();
    }

    private static String minute(Timestamp at) {
        return at.toInstant().atZone(JST).format(MINUTE);
    }

    private static String nz(@Nullable String s) {
        return s == null ? "" : s;
    }

    /** The access log search for a user (or patient) on the days of the event. */
    private static String search(@Nullable String user, @Nullable String patient, Timestamp from, Timestamp to) {
        UriComponentsBuilder b = UriComponentsBuilder.fromPath("/audit");
        if (user != null) {
            b.queryParam("user", user);
        }
        if (patient != null && user == null) {
            b.queryParam("patient", patient);
        }
        b.queryParam("from", from.toInstant().atZone(JST).toLocalDate());
        b.queryParam("to", to.toInstant().atZone(JST).toLocalDate());
        return b.encode().build().toUriString();
    }
}
