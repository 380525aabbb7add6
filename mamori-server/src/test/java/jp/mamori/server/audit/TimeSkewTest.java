package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class TimeSkewTest extends ServerTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    private HttpResponse<String> post(String path, String type, String body, IdentityFixtures.TestUser as)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .header("Content-Type", type)
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString((as.loginId() + ":" + as.password())
                                                        .getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String at(String user, String patient, Instant when) {
        AuditEvent e = FhirAuditEventTest.read(user, patient, "OPD-T");
        e.setRecorded(Date.from(when));
        return FHIR.newJsonParser().encodeResourceToString(e);
    }

    private boolean skewed(String user) {
        return jdbc.sql("SELECT skewed FROM audit_event WHERE login_id = ?")
                .param(user)
                .query(Boolean.class)
                .single();
    }

    @Test
    void live_reports_from_a_clock_off_by_more_than_five_minutes_are_flagged_and_shown() throws Exception {
        var ehr = fixtures.user("skew-ehr", JobType.SYSTEM, "AUDIT_SOURCE");
        String patient = "TS" + System.nanoTime();
        Instant now = Instant.now();
        assertThat(post(
                                "/fhir/AuditEvent",
                                "application/fhir+json",
                                at("dr-on-time", patient, now.minusSeconds(20)),
                                ehr)
                        .statusCode())
                .isEqualTo(201);
        assertThat(post(
                                "/fhir/AuditEvent",
                                "application/fhir+json",
                                at("dr-late", patient, now.minusSeconds(1800)),
                                ehr)
                        .statusCode())
                .isEqualTo(201);
        assertThat(post("/fhir/AuditEvent", "application/fhir+json", at("dr-ahead", patient, now.plusSeconds(600)), ehr)
                        .statusCode())
                .isEqualTo(201);
        // A bulk import carries past events: old is normal, only a time in the future is suspicious.
        String ndjson = at("dr-old-import", patient, now.minus(Duration.ofDays(40)))
                        .strip() + "\n"
                + at("dr-future-import", patient, now.plus(Duration.ofHours(2))).strip() + "\n";
        assertThat(post("/fhir/AuditEvent/$import", "application/fhir+ndjson", ndjson, ehr)
                        .statusCode())
                .isEqualTo(200);

        assertThat(skewed("dr-on-time")).isFalse();
        assertThat(skewed("dr-late")).isTrue();
        assertThat(skewed("dr-ahead")).isTrue();
        assertThat(skewed("dr-old-import")).isFalse();
        assertThat(skewed("dr-future-import")).isTrue();
        // Both times are kept: the source's and the time received.
        assertThat(jdbc.sql(
                                "SELECT recorded_at - source_at > interval '29 minutes' FROM audit_event WHERE login_id = ?")
                        .param("dr-late")
                        .query(Boolean.class)
                        .single())
                .isTrue();

        var officer = fixtures.user("skew-so", JobType.DOCTOR, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        String page = web.get("/audit?patient=" + patient).body();
        assertThat(page.split("class=\"badge skew\"", -1)).hasSize(4);
        assertThat(page).contains("送信元の時刻").contains("<td>試験電子カルテ</td>");
        assertThat(page).contains("id=\"time-source\"").contains("system clock");
        assertThat(page).containsAnyOf("NTP と同期しています", "NTP と同期していません", "権限なしでは確認できないため不明です");
        String dashboard = web.get("/").body();
        assertThat(dashboard).contains("24時間の時刻ずれイベント");
    }
}
