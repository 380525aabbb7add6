package jp.mamori.server.audit;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The access log's screens: who read this patient (a timeline), what this user touched (counts per
 * patient), and the download for the offline verifier. Every search is itself logged.
 */
@Controller
@PreAuthorize("hasAnyRole('AUDITOR', 'SECURITY_OFFICER', 'ADMIN')")
class AccessLogController {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    private final AuditExport export;
    private final JdbcClient jdbc;
    private final SecurityEvents events;
    private final FacilityLog log;
    private final TimeSource time;
    private final AuditSettings settings;

    AccessLogController(
            AuditExport export,
            JdbcClient jdbc,
            SecurityEvents events,
            FacilityLog log,
            TimeSource time,
            AuditSettings settings) {
        this.export = export;
        this.jdbc = jdbc;
        this.events = events;
        this.log = log;
        this.time = time;
        this.settings = settings;
    }

    record Row(
            long index,
            java.time.Instant at,
            String kind,
            String type,
            String outcome,
            @Nullable String user,
            @Nullable String patient,
            @Nullable String source,
            java.time.@Nullable Instant sourceAt,
            @Nullable String sourceSystem,
            boolean skewed) {

        /** The time received, in Japan: what staff compare with their own clocks. */
        public java.time.ZonedDateTime atJst() {
            return at.atZone(JST);
        }

        public java.time.@Nullable ZonedDateTime sourceAtJst() {
            return sourceAt == null ? null : sourceAt.atZone(JST);
        }
    }

    record PatientCount(String patient, long count, java.time.Instant first, java.time.Instant last) {}

    @GetMapping("/audit")
    String search(
            @RequestParam(required = false) @Nullable String patient,
            @RequestParam(required = false) @Nullable String user,
            @RequestParam(required = false) @Nullable LocalDate from,
            @RequestParam(required = false) @Nullable LocalDate to,
            Authentication who,
            Model model) {
        LocalDate start = from == null ? LocalDate.now(JST).minusDays(30) : from;
        LocalDate end = to == null ? LocalDate.now(JST) : to;
        Timestamp t0 = Timestamp.from(start.atStartOfDay(JST).toInstant());
        Timestamp t1 = Timestamp.from(end.plusDays(1).atStartOfDay(JST).toInstant());
        model.addAttribute("from", start);
        model.addAttribute("to", end);
        model.addAttribute("patient", patient);
        model.addAttribute("user", user);
        boolean byPatient = patient != null && !patient.isBlank();
        boolean byUser = user != null && !user.isBlank();
        if (byPatient || byUser) {
            StringBuilder sql = new StringBuilder(
                    "SELECT leaf_index, recorded_at, kind, type, outcome, login_id, patient_id, source_addr, source_at,"
                            + " source_system, skewed FROM audit_event"
                            + " WHERE log_id = ? AND recorded_at >= ? AND recorded_at < ?");
            List<Object> params = new java.util.ArrayList<>(List.of(log.id(), t0, t1));
            if (byPatient) {
                sql.append(" AND patient_id = ?");
                params.add(patient.strip());
            }
            if (byUser) {
                sql.append(" AND login_id = ?");
                params.add(user.strip());
            }
            sql.append(" ORDER BY recorded_at DESC, leaf_index DESC LIMIT 500");
            model.addAttribute(
                    "rows",
                    jdbc.sql(sql.toString())
                            .params(params)
                            .query((rs, n) -> new Row(
                                    rs.getLong(1),
                                    rs.getTimestamp(2).toInstant(),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8),
                                    rs.getTimestamp(9) == null
                                            ? null
                                            : rs.getTimestamp(9).toInstant(),
                                    rs.getString(10),
                                    rs.getBoolean(11)))
                            .list());
            if (byUser) {
                model.addAttribute(
                        "perPatient",
                        jdbc.sql(
                                        """
                                SELECT patient_id, count(*), min(recorded_at), max(recorded_at) FROM audit_event
                                WHERE log_id = ? AND login_id = ? AND patient_id IS NOT NULL
                                  AND recorded_at >= ? AND recorded_at < ?
                                GROUP BY patient_id ORDER BY count(*) DESC LIMIT 200""")
                                .params(log.id(), user.strip(), t0, t1)
                                .query((rs, n) -> new PatientCount(
                                        rs.getString(1),
                                        rs.getLong(2),
                                        rs.getTimestamp(3).toInstant(),
                                        rs.getTimestamp(4).toInstant()))
                                .list());
            }
            events.record(SecurityEvent.success(SecurityEventType.ACCESS_LOG_SEARCH)
                    .account(null, who.getName())
                    .detail("patient", byPatient ? patient.strip() : null)
                    .detail("user", byUser ? user.strip() : null)
                    .detail("from", start)
                    .detail("to", end)
                    .build());
        }
        model.addAttribute(
                "treeSize",
                jdbc.sql("SELECT tree_size FROM audit_log WHERE id = ?")
                        .param(log.id())
                        .query(Long.class)
                        .single());
        model.addAttribute(
                "checkpoint",
                jdbc.sql("SELECT note FROM audit_checkpoint WHERE log_id = ? ORDER BY tree_size DESC LIMIT 1")
                        .param(log.id())
                        .query(String.class)
                        .optional()
                        .orElse(""));
        model.addAttribute("time", time.status());
        model.addAttribute("skewMinutes", settings.skewThreshold().toMinutes());
        return "audit/search";
    }

    @GetMapping("/audit/export.zip")
    void download(HttpServletResponse response, Authentication who) throws IOException {
        events.record(SecurityEvent.success(SecurityEventType.ACCESS_LOG_SEARCH)
                .account(null, who.getName())
                .detail("export", "zip")
                .build());
        response.setContentType("application/zip");
        response.setHeader(
                "Content-Disposition", "attachment; filename=\"mamori-audit-" + LocalDate.now(JST) + ".zip\"");
        export.writeZip(response.getOutputStream());
    }
}
