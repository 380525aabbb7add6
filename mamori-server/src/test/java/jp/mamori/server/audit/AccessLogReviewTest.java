package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestClock;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The periodic review end to end, in a server of its own whose review periods are one day long and
 * whose working hours are set to exclude the moment the test runs, so every event of the test is
 * off hours whatever the time of day.
 */
class AccessLogReviewTest extends ServerTest {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    @DynamicPropertySource
    static void review(DynamicPropertyRegistry registry) {
        int hour = ZonedDateTime.now(JST).getHour();
        // A one-hour working window at least ten hours away from now, on every day of the week.
        String start = hour >= 12 ? "01:00" : "22:00";
        String end = hour >= 12 ? "02:00" : "23:00";
        registry.add("mamori.audit.review.period", () -> "P1D");
        registry.add("mamori.audit.review.grace", () -> "P2D");
        registry.add("mamori.audit.review.work-start", () -> start);
        registry.add("mamori.audit.review.work-end", () -> end);
        registry.add("mamori.audit.review.work-days", () -> "MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY,SATURDAY,SUNDAY");
    }

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    AccessEvents accessEvents;

    @Autowired
    SecurityEvents securityEvents;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void a_review_period_is_worked_through_signed_off_with_its_checkpoint_and_printed() throws Exception {
        // What happened in the period: a break-the-glass sign-in, a vendor's sign-in, a failed
        // sign-in, a role change, and one user reading many patients.
        var officer = fixtures.user("rv-so", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        var doctor = fixtures.user("rv-bg", JobType.DOCTOR, "DOCTOR");
        WebClient emergency = newClient();
        emergency.get("/login/emergency");
        emergency.post(
                "/login/emergency",
                Map.of(
                        "loginId",
                        doctor.loginId(),
                        "password",
                        doctor.password(),
                        "reason",
                        "試験: 救急外来で処方の確認が必要",
                        "patientRef",
                        "P-TEST-0001"));
        var vendor = fixtures.user("rv-vendor", JobType.VENDOR, "NURSE");
        signIn(vendor);
        // A second vendor works on a registered remote-maintenance line, inside its approved window.
        var onLine = fixtures.user("rv-line", JobType.VENDOR, "NURSE");
        approveWindowAroundNow(web, onLine.loginId());
        signIn(onLine);
        var typo = fixtures.user("rv-typo", JobType.NURSE, "NURSE");
        WebClient wrong = newClient();
        wrong.get("/login");
        wrong.post("/login", Map.of("loginId", typo.loginId(), "password", "not-the-password-0"));
        securityEvents.record(SecurityEvent.success(SecurityEventType.ROLE_CHANGED)
                .account(officer.id(), officer.loginId())
                .detail("target", typo.loginId())
                .build());
        List<AuditEvent> reads = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            reads.add(FhirAuditEventTest.read("rv-mass", "P-RV-" + (i % 6), "WARD-TEST-01"));
        }
        accessEvents.store(reads);

        LocalDate today = LocalDate.now(JST);
        web.get("/audit/review");
        assertThat(web.last().statusCode()).isEqualTo(200);
        assertThat(web.last().body()).contains(today.toString()).contains("未実施(期間中)");

        web.get("/audit/review/" + today);
        String sheet = web.last().body();
        assertThat(sheet).contains("緊急時アクセス(Break the Glass)の利用");
        assertThat(section(sheet, "BREAK_GLASS")).contains(doctor.loginId()).contains("未確認");
        long inside = jdbc.sql("SELECT count(*) FROM audit_event WHERE login_id = ?")
                .param(onLine.loginId())
                .query(Long.class)
                .single();
        assertThat(inside).isPositive();
        String vendorSection = section(sheet, "VENDOR");
        assertThat(vendorSection).contains("外部接続の台帳に登録された承認時間帯").contains("承認時間帯内 " + inside + " 件 / 時間帯外 ");
        assertThat(vendorLines(vendorSection, vendor.loginId())).isNotEmpty().allMatch(l -> l.contains("時間帯外"));
        assertThat(vendorLines(vendorSection, onLine.loginId()))
                .isNotEmpty()
                .allMatch(l -> l.contains("時間帯内") && l.contains("試験保守回線 (作業計画 WP-RV-1)"));
        assertThat(section(sheet, "FAILED_SIGN_IN")).contains(typo.loginId());
        assertThat(section(sheet, "ADMINISTRATIVE")).contains("ROLE_CHANGED").contains(typo.loginId());
        assertThat(section(sheet, "OFF_HOURS")).contains("rv-mass").contains(doctor.loginId());
        // 12 reads of 6 patients, the busiest read twice each; linked to the search by user.
        assertThat(section(sheet, "MASS_ACCESS"))
                .contains("<td>rv-mass</td>", "<td>6</td>", "<td>12</td>", "P-RV-0 (2)")
                .contains("/audit?user=rv-mass&amp;from=" + today);
        assertThat(sheet).doesNotContain("id=\"sign-off\"");

        // The period has not ended: it cannot be signed off yet.
        Map<String, String> notes = notes();
        web.post("/audit/review/" + today, notes);
        assertThat(web.last().body()).contains("期間が終わってから確認してください");

        clock.advance(Duration.ofDays(1));
        web.get("/audit/review");
        assertThat(web.last().body()).contains("data-state=\"DUE\"");

        // A check with findings needs a note; nothing is stored without it.
        Map<String, String> missing = new HashMap<>(notes);
        missing.put("note.VENDOR", "  ");
        web.get("/audit/review/" + today);
        web.post("/audit/review/" + today, missing);
        assertThat(web.last().body()).contains("「事業者アカウントのサインインとアクセス」に該当があります。所見を書いてください。");
        assertThat(reviewCount(today)).isZero();

        web.get("/audit/review/" + today);
        web.post("/audit/review/" + today, notes);
        assertThat(web.last().body()).contains("確認を完了しました").contains("実施済み");
        var stored = jdbc.sql("SELECT id, reviewer, checkpoint_size, checkpoint_note, sign_off_index FROM audit_review"
                        + " WHERE period_start = ?")
                .param(today)
                .query((rs, n) ->
                        new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5)})
                .single();
        long reviewId = (Long) stored[0];
        long size = (Long) stored[2];
        String checkpoint = (String) stored[3];
        assertThat(stored[1]).isEqualTo(officer.loginId());
        assertThat(checkpoint).startsWith("mamori.local/audit\n" + size + "\n").contains("\n\n— mamori.local/audit ");
        // The sign-off is itself an event, appended after the checkpoint it carries.
        assertThat((Long) stored[4]).isGreaterThanOrEqualTo(size);
        assertThat(securityEvents.latest(50)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(SecurityEventType.ACCESS_LOG_REVIEWED);
            assertThat(e.loginId()).isEqualTo(officer.loginId());
            assertThat(e.detail()).containsEntry("checkpoint_size", String.valueOf(size));
        });
        assertThat(web.last().body()).contains("所見: 事業者 rv の作業計画と照合済み");
        var counts = jdbc.sql("SELECT check_key, count FROM audit_review_check WHERE review_id = ? ORDER BY position")
                .param(reviewId)
                .query((rs, n) -> rs.getString(1) + "=" + rs.getLong(2))
                .list();
        assertThat(counts).contains("BREAK_GLASS=1", "MASS_ACCESS=1", "ADMINISTRATIVE=1");
        // The wrong password is one failure; what else the sign-in attempt records may add more.
        assertThat(counts).anyMatch(c -> c.startsWith("FAILED_SIGN_IN=") && !c.endsWith("=0"));

        // Signed off is final: a second sign-off is refused, the row cannot be changed, a correction is added.
        web.get("/audit/review/" + today);
        Map<String, String> again = new HashMap<>(notes);
        web.post("/audit/review/" + today, Map.of("summary", "二重の確認", "note.BREAK_GLASS", "x"));
        assertThat(web.last().body()).contains("確認済みです。訂正は訂正として追記してください");
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_review SET reviewer = 'someone-else' WHERE id = ?")
                        .param(reviewId)
                        .update())
                .hasMessageContaining("cannot be changed or deleted");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_review_check WHERE review_id = ?")
                        .param(reviewId)
                        .update())
                .hasMessageContaining("cannot be changed or deleted");
        web.get("/audit/review/" + today);
        again.put("corrects", String.valueOf(reviewId));
        again.put("summary", "訂正: 緊急時アクセスは事後確認済みと判明");
        web.post("/audit/review/" + today, again);
        assertThat(web.last().body()).contains("訂正を追記").contains("記録 #" + reviewId + " の訂正");
        assertThat(reviewCount(today)).isEqualTo(2);

        // The printed record carries the checkpoint, verbatim, and the Japanese headings.
        var pdf = web.getBytes("/audit/review/report/" + reviewId + ".pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        String text;
        try (PDDocument doc = Loader.loadPDF(pdf.body())) {
            text = new PDFTextStripper().getText(doc);
        }
        String root = checkpoint.split("\n")[2];
        assertThat(text)
                .contains("アクセスログ定期確認記録", "確認項目と所見", "確認時点の署名済みチェックポイント")
                .contains("Test Hospital")
                .contains(officer.loginId())
                .contains("mamori.local/audit")
                .contains(root)
                // The signature line after its em dash: PDFBox reads that Adobe-Japan1 glyph back as
                // another dash-like code point, so the dash is not compared.
                .contains(checkpoint.split("\n")[4].substring(2))
                .contains("mamori-auditlog consistency");
        // Table cells wrap long check names over lines.
        assertThat(text.replaceAll("\\R", "")).contains("緊急時アクセス(Break the Glass)の利用", "所見: 入力誤り 1 件");
        // the vendor check's count with the part inside the approved windows (cells wrap: spaces ignored)
        assertThat(text.replaceAll("\\s", "")).contains("承認時間帯内" + inside + "件/時間帯外");

        // The dashboard names the last review and the next due date.
        web.get("/");
        assertThat(web.last().body())
                .contains("アクセスログの定期確認")
                .contains(clock.instant().atZone(JST).toLocalDate().toString());
    }

    @Test
    void only_auditors_security_officers_and_administrators_see_the_review() {
        var nurse = fixtures.user("rv-nurse", JobType.NURSE, "NURSE");
        WebClient web = signIn(nurse);
        assertThat(web.get("/audit/review").statusCode()).isEqualTo(403);
        assertThat(web.get("/audit/review/" + LocalDate.now(JST)).statusCode()).isEqualTo(403);
        assertThat(web.getBytes("/audit/review/report/1.pdf").statusCode()).isEqualTo(403);
        var auditor = fixtures.user("rv-aud", JobType.IT, "AUDITOR");
        WebClient ok = signIn(auditor);
        assertThat(ok.get("/audit/review").statusCode()).isEqualTo(200);
        assertThat(ok.get("/audit/review/1999-01-01").statusCode()).isEqualTo(404);
    }

    /**
     * Registers a remote-maintenance line for the vendor account with a one-off window from an hour
     * before now to an hour after (kept within today, Japan time), through the governance pages.
     */
    private void approveWindowAroundNow(WebClient officer, String vendorLogin) {
        ZonedDateTime now = ZonedDateTime.now(JST);
        java.time.LocalTime start = now.getHour() == 0
                ? java.time.LocalTime.MIDNIGHT
                : now.toLocalTime().minusHours(1).withSecond(0).withNano(0);
        java.time.LocalTime end = now.getHour() == 23
                ? java.time.LocalTime.of(23, 59)
                : now.toLocalTime().plusHours(1).withSecond(0).withNano(0);
        officer.get("/governance/connections");
        officer.post(
                "/governance/connections/segments", Map.of("name", "試験保守区画", "zone", "EHR", "cidr", "10.99.0.0/16"));
        long segment = jdbc.sql("SELECT id FROM network_segment WHERE name = '試験保守区画'")
                .query(Long.class)
                .single();
        Map<String, String> line = new HashMap<>();
        line.put("name", "試験保守回線");
        line.put("kind", "REMOTE_MAINTENANCE");
        line.put("fromSegment", String.valueOf(segment));
        line.put("externalParty", "試験保守センター");
        line.put("vendorAccounts", vendorLogin);
        line.put("sources", "203.0.113.8");
        line.put("windows", now.toLocalDate() + " " + start + "-" + end + " 作業計画 WP-RV-1");
        officer.get("/governance/connections");
        var saved = officer.post("/governance/connections", line);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
    }

    /** The rows of the vendor check that name the account. */
    private static List<String> vendorLines(String section, String login) {
        List<String> out = new ArrayList<>();
        for (String row : section.split("<tr>")) {
            if (row.contains("<td>" + login + "</td>")) {
                out.add(row);
            }
        }
        return out;
    }

    private long reviewCount(LocalDate start) {
        return jdbc.sql("SELECT count(*) FROM audit_review WHERE period_start = ?")
                .param(start)
                .query(Long.class)
                .single();
    }

    private static Map<String, String> notes() {
        Map<String, String> notes = new HashMap<>();
        notes.put("note.BREAK_GLASS", "所見: 救急外来での利用、事後確認を依頼");
        notes.put("note.VENDOR", "所見: 事業者 rv の作業計画と照合済み");
        notes.put("note.OFF_HOURS", "所見: 試験のため時間外");
        notes.put("note.FAILED_SIGN_IN", "所見: 入力誤り 1 件");
        notes.put("note.ADMINISTRATIVE", "所見: 権限変更は申請どおり");
        notes.put("note.MASS_ACCESS", "所見: 病棟業務の範囲内");
        notes.put("summary", "異常なし(試験)");
        return notes;
    }

    /** The worksheet's section of one check. */
    private static String section(String page, String key) {
        int start = page.indexOf("id=\"check-" + key + "\"");
        assertThat(start).as("section of " + key).isPositive();
        int end = page.indexOf("</section>", start);
        return page.substring(start, end);
    }
}
