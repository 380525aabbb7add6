package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Supplier;
import jp.mamori.server.ServerTest;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class NdjsonImportTest extends ServerTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    static String line(AuditEvent e) {
        return FHIR.newJsonParser().setPrettyPrint(false).encodeResourceToString(e) + "\n";
    }

    private HttpResponse<String> post(Supplier<InputStream> body, IdentityFixtures.TestUser as) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/AuditEvent/$import"))
                        .header("Content-Type", "application/fhir+ndjson")
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString((as.loginId() + ":" + as.password())
                                                        .getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Supplier<InputStream> text(String s) {
        return () -> new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void good_lines_are_stored_and_bad_lines_are_named_by_number() throws Exception {
        var ehr = fixtures.user("nd-ehr", JobType.SYSTEM, "AUDIT_SOURCE");
        String patient = "ND" + System.nanoTime();
        AuditEvent noAgent = FhirAuditEventTest.read("x", patient, "t");
        noAgent.getAgent().clear();
        String body = line(FhirAuditEventTest.read("dr-nd-1", patient, "OPD-1"))
                + "{\"resourceType\": \"AuditEvent\", \"recorded\": }\n"
                + "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n"
                + line(noAgent)
                + "\n"
                + line(FhirAuditEventTest.read("dr-nd-2", patient, "OPD-2")).strip(); // no final newline
        var r = post(text(body), ehr);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        OperationOutcome oo = FHIR.newJsonParser().parseResource(OperationOutcome.class, r.body());
        assertThat(oo.getIssueFirstRep().getDiagnostics()).startsWith("stored 2 events at leaf indexes ");
        assertThat(oo.getIssueFirstRep().getDiagnostics()).contains("3 lines failed");
        List<String> errors = oo.getIssue().stream()
                .filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
                .map(i -> i.getExpression().get(0).getValue() + " | " + i.getDiagnostics())
                .toList();
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0))
                .startsWith("line 2 | line 2: The body is not JSON")
                .contains("line 1");
        assertThat(errors.get(1)).startsWith("line 3 | ").contains("Patient");
        assertThat(errors.get(2)).startsWith("line 4 | ").contains("agent");
        String range = r.headers().firstValue("X-Mamori-Leaf-Ranges").orElseThrow();
        long first = Long.parseLong(range.split("-")[0]);
        assertThat(jdbc.sql("SELECT login_id FROM audit_event WHERE patient_id = ? ORDER BY leaf_index")
                        .param(patient)
                        .query(String.class)
                        .list())
                .containsExactly("dr-nd-1", "dr-nd-2");
        assertThat(jdbc.sql("SELECT min(leaf_index) FROM audit_event WHERE patient_id = ?")
                        .param(patient)
                        .query(Long.class)
                        .single())
                .isEqualTo(first);

        var empty = post(text("not json at all\n"), ehr);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("line 1");
    }

    @Test
    void a_large_body_is_read_as_it_streams_and_a_resend_with_ids_stores_nothing_twice() throws Exception {
        var ehr = fixtures.user("nd-bulk", JobType.SYSTEM, "AUDIT_SOURCE");
        String patient = "NB" + System.nanoTime();
        int n = 12_000;
        // Generated line by line as the client sends it: neither side holds the whole body.
        Supplier<InputStream> body = () -> new SequenceInputStream(new Enumeration<InputStream>() {
            int i = 0;

            @Override
            public boolean hasMoreElements() {
                return i < n;
            }

            @Override
            public InputStream nextElement() {
                AuditEvent e = FhirAuditEventTest.read("dr-bulk-" + (i % 50), patient, "WARD-" + (i % 7));
                e.setId(patient + "-" + i);
                i++;
                return new ByteArrayInputStream(line(e).getBytes(StandardCharsets.UTF_8));
            }
        });
        var r = post(body, ehr);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("stored " + n + " events").contains("0 lines failed");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE patient_id = ?")
                        .param(patient)
                        .query(Integer.class)
                        .single())
                .isEqualTo(n);

        var again = post(body, ehr);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("stored 0 events; " + n + " already stored");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE patient_id = ?")
                        .param(patient)
                        .query(Integer.class)
                        .single())
                .isEqualTo(n);
    }

    @Test
    void only_audit_sources_may_import() throws Exception {
        var auditor = fixtures.user("nd-aud", JobType.SYSTEM, "AUDITOR");
        assertThat(post(text(line(FhirAuditEventTest.read("u", "p", "t"))), auditor)
                        .statusCode())
                .isEqualTo(403);
    }
}
