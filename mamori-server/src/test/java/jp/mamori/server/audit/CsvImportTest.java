package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class CsvImportTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    static final Map<String, String> MAPPING = Map.ofEntries(
            Map.entry("timeColumn", "日時"),
            Map.entry("timePattern", "yyyy/MM/dd HH:mm:ss"),
            Map.entry("timeZone", "Asia/Tokyo"),
            Map.entry("userColumn", "利用者ID"),
            Map.entry("userNameColumn", "氏名"),
            Map.entry("patientColumn", "患者ID"),
            Map.entry("actionColumn", "操作"),
            Map.entry("actionValues", "参照=read\n更新=update\n印刷=execute\n"),
            Map.entry("terminalColumn", "端末"),
            Map.entry("recordColumn", "画面"),
            Map.entry("outcomeColumn", "結果"),
            Map.entry("outcomeValues", "成功=success\n失敗=failure\n"));

    @Test
    void imports_a_shift_jis_export_reports_each_bad_line_and_never_stores_a_line_twice() throws Exception {
        var auditor = fixtures.user("csv-aud", JobType.SYSTEM, "AUDITOR");
        WebClient web = signIn(auditor);
        String prefix = "c" + System.nanoTime() % 100000 + "-";
        byte[] file = CsvImportFixtures.export(prefix);

        long id = upload(web, "試験電子カルテ", "export.csv", file, "auto");
        web.get("/audit/import/" + id);
        assertThat(web.last().statusCode()).isEqualTo(200);
        // Detected as Shift_JIS; the guessed mapping already shows the first line as an event.
        assertThat(web.last().body())
                .contains("windows-31j")
                .contains(prefix + "dr-1")
                .contains("試験 太郎");

        web.post("/audit/import/" + id + "/start", MAPPING);
        String state = waitUntilDone(web, id);
        assertThat(state).isEqualTo("DONE");
        web.get("/audit/import/" + id);
        assertThat(number(web.last().body(), "stored")).isEqualTo(3);
        assertThat(number(web.last().body(), "failed")).isEqualTo(4);

        String report = web.get("/audit/import/" + id + "/errors.csv").body();
        assertThat(report).startsWith("\uFEFFline,column,problem");
        assertThat(report)
                .contains("5,\"日時\",\"\"\"2026/13/45 25:00:00\"\" is not a time in the pattern yyyy/MM/dd HH:mm:ss\"")
                .contains("6,\"\",\"the line has 5 columns, the header has 8\"")
                .contains("7,\"利用者ID\",\"a quoted field is never closed\"")
                .contains("8,\"\",\"the line is written in UTF-8, the file in Shift_JIS (wrong encoding)\"");
        assertThat(report.lines().count()).isEqualTo(5);

        // What was stored: the source's time and the names as the export wrote them.
        var stored = jdbc.sql(
                        """
                        SELECT patient_id, login_id, type, outcome, source_system, source_at, body FROM audit_event
                        WHERE login_id LIKE ? ORDER BY source_at""")
                .param(prefix + "%")
                .query((rs, n) -> Map.of(
                        "patient", rs.getString(1),
                        "user", rs.getString(2),
                        "type", rs.getString(3),
                        "outcome", rs.getString(4),
                        "system", rs.getString(5),
                        "at", rs.getTimestamp(6).toInstant(),
                        "body", rs.getString(7)))
                .list();
        assertThat(stored).hasSize(3);
        assertThat(stored.get(0).get("at")).isEqualTo(Instant.parse("2026-01-05T00:15:00Z"));
        assertThat(stored.get(0).get("system")).isEqualTo("試験電子カルテ");
        assertThat(stored.get(0).get("type")).isEqualTo("110110/read");
        assertThat(stored.get(1).get("type")).isEqualTo("110110/update");
        assertThat((String) stored.get(1).get("body")).contains("試験, 太郎").contains("カルテ\\r\\n2号用紙");
        assertThat(stored.get(2).get("outcome")).isEqualTo("FAILURE");
        assertThat((String) stored.get(2).get("body"))
                .contains("\"channel\":\"csv\"")
                .contains("\"sourceEventId\":\"L9:");

        // The same file again: every good line is already stored, nothing is added.
        long again = upload(web, "試験電子カルテ", "export-again.csv", file, "windows-31j");
        web.get("/audit/import/" + again);
        // The mapping saved with the first import is offered for the second file.
        assertThat(web.last().body()).contains("更新=update");
        web.post("/audit/import/" + again + "/start", MAPPING);
        assertThat(waitUntilDone(web, again)).isEqualTo("DONE");
        web.get("/audit/import/" + again);
        assertThat(number(web.last().body(), "stored")).isZero();
        assertThat(number(web.last().body(), "duplicates")).isEqualTo(3);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE login_id LIKE ?")
                        .param(prefix + "%")
                        .query(Integer.class)
                        .single())
                .isEqualTo(3);
    }

    @Test
    void a_utf8_tsv_with_a_byte_order_mark_is_detected_and_a_wrong_mapping_is_refused() throws Exception {
        var officer = fixtures.user("csv-so", JobType.DOCTOR, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        String prefix = "t" + System.nanoTime() % 100000 + "-";
        String tsv = "\uFEFFアクセス日時\tユーザーID\t患者番号\n" + "2026-02-01T08:00\t" + prefix + "ph-1\t" + prefix + "P-9\n";
        long id = upload(web, "試験レセコン", "recept.tsv", tsv.getBytes(StandardCharsets.UTF_8), "auto");
        web.get("/audit/import/" + id);
        assertThat(web.last().body()).contains("UTF-8").contains("アクセス日時");

        Map<String, String> wrong = new LinkedHashMap<>(
                Map.of("timeColumn", "アクセス日時", "timePattern", "yyyy-MM-dd'T'HH:mm", "userColumn", "存在しない列"));
        web.post("/audit/import/" + id + "/start", wrong);
        assertThat(web.last().body()).contains("存在しない列").contains("is not in the file&#39;s header");

        Map<String, String> right = new LinkedHashMap<>(Map.of(
                "timeColumn", "アクセス日時",
                "timePattern", "yyyy-MM-dd'T'HH:mm",
                "userColumn", "ユーザーID",
                "patientColumn", "患者番号"));
        web.post("/audit/import/" + id + "/start", right);
        assertThat(waitUntilDone(web, id)).isEqualTo("DONE");
        assertThat(jdbc.sql("SELECT patient_id FROM audit_event WHERE login_id = ?")
                        .param(prefix + "ph-1")
                        .query(String.class)
                        .single())
                .isEqualTo(prefix + "P-9");
    }

    @Test
    void a_nurse_cannot_import() {
        var nurse = fixtures.user("csv-ns", JobType.NURSE, "NURSE");
        WebClient web = signIn(nurse);
        assertThat(web.get("/audit/import").statusCode()).isEqualTo(403);
    }

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    /** Uploads a file as the browser's form does (multipart, CSRF token of the page); returns its ID. */
    long upload(WebClient web, String sourceSystem, String name, byte[] content, String encoding) throws Exception {
        String page = web.get("/audit/import").body();
        Matcher m = CSRF.matcher(page);
        assertThat(m.find()).isTrue();
        String boundary = "----mamori" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, String> fields =
                Map.of("_csrf", m.group(1), "sourceSystem", sourceSystem, "encoding", encoding, "delimiter", "auto");
        for (var f : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                            + f.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                        + "\"\r\nContent-Type: text/csv\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newBuilder()
                .cookieHandler(web.cookies())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/audit/import"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    /** Polls the progress block as the page does until the import is no longer running. */
    static String waitUntilDone(WebClient web, long id) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(until)) {
            String block = web.get("/audit/import/" + id + "/progress").body();
            Matcher m = Pattern.compile("data-state=\"(\\w+)\"").matcher(block);
            assertThat(m.find()).as(block).isTrue();
            if (!m.group(1).equals("RUNNING")) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        return "RUNNING";
    }

    static long number(String page, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\">(\\d+)<").matcher(page);
        assertThat(m.find()).as(id).isTrue();
        return Long.parseLong(m.group(1));
    }
}
