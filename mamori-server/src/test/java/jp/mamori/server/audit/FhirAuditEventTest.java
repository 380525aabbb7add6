package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import jp.mamori.server.ServerTest;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class FhirAuditEventTest extends ServerTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    /** A synthetic EHR read of a synthetic patient, shaped after IHE BALP. */
    static AuditEvent read(String user, String patient, String terminal) {
        AuditEvent e = new AuditEvent();
        e.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        e.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", "read", "read"));
        e.setAction(AuditEvent.AuditEventAction.R);
        e.setRecorded(new Date());
        e.setOutcome(AuditEvent.AuditEventOutcome._0);
        var agent = e.addAgent().setRequestor(true);
        agent.getWho().getIdentifier().setValue(user);
        agent.getNetwork().setAddress(terminal).setType(AuditEvent.AuditEventAgentNetworkType._1);
        e.getSource().setSite("TEST-EHR").getObserver().setDisplay("試験電子カルテ");
        e.addEntity()
                .setWhat(new Reference("Patient/" + patient))
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"));
        return e;
    }

    private HttpResponse<String> send(String method, String path, String body, IdentityFixtures.TestUser as)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/fhir+json")
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (as.loginId() + ":" + as.password()).getBytes(StandardCharsets.UTF_8)));
        b = body == null ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void an_ehr_reports_a_read_and_an_auditor_finds_who_read_the_patient() throws Exception {
        var ehr = fixtures.user("ehr", JobType.SYSTEM, "AUDIT_SOURCE");
        var auditTool = fixtures.user("audtool", JobType.SYSTEM, "AUDITOR");
        String patient = "P" + System.nanoTime();
        var created = send(
                "POST",
                "/fhir/AuditEvent",
                FHIR.newJsonParser().encodeResourceToString(read("dr-test-7", patient, "WARD3-01")),
                ehr);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long index = Long.parseLong(
                created.headers().firstValue("X-Mamori-Leaf-Index").orElseThrow());
        assertThat(created.headers().firstValue("Location")).hasValue("AuditEvent/" + index);

        var found = send("GET", "/fhir/AuditEvent?patient=Patient/" + patient, null, auditTool);
        assertThat(found.statusCode()).isEqualTo(200);
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, found.body());
        assertThat(bundle.getEntry()).hasSize(1);
        AuditEvent back = (AuditEvent) bundle.getEntryFirstRep().getResource();
        assertThat(back.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo("dr-test-7");
        assertThat(back.getIdElement().getIdPart()).isEqualTo(String.valueOf(index));
        // The search itself is in the log.
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE type = 'ACCESS_LOG_SEARCH' AND login_id = ?")
                        .param(auditTool.loginId())
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void a_transaction_bundle_is_stored_all_or_nothing() throws Exception {
        var ehr = fixtures.user("ehr-tx", JobType.SYSTEM, "AUDIT_SOURCE");
        String patient = "P" + System.nanoTime();
        Bundle good = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < 5; i++) {
            good.addEntry().setResource(read("ns-test-" + i, patient, "WARD3-02"));
        }
        var ok = send("POST", "/fhir", FHIR.newJsonParser().encodeResourceToString(good), ehr);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(FHIR.newJsonParser().parseResource(Bundle.class, ok.body()).getEntry())
                .hasSize(5);

        String other = "Q" + System.nanoTime();
        Bundle bad = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bad.addEntry().setResource(read("ns-test-1", other, "WARD3-02"));
        AuditEvent noAgent = read("x", other, "y");
        noAgent.getAgent().clear();
        bad.addEntry().setResource(noAgent);
        var refused = send("POST", "/fhir", FHIR.newJsonParser().encodeResourceToString(bad), ehr);
        assertThat(refused.statusCode()).isEqualTo(400);
        OperationOutcome oo = FHIR.newJsonParser().parseResource(OperationOutcome.class, refused.body());
        assertThat(oo.getIssueFirstRep().getDiagnostics()).contains("entry 1").contains("agent");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE patient_id = ?")
                        .param(other)
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void malformed_json_is_refused_with_its_line_and_column() throws Exception {
        var ehr = fixtures.user("ehr-bad", JobType.SYSTEM, "AUDIT_SOURCE");
        var r = send("POST", "/fhir/AuditEvent", "{\"resourceType\": \"AuditEvent\",\n  \"recorded\": }", ehr);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("line 2");
        var notFhir = send("POST", "/fhir/AuditEvent", "{\"resourceType\": \"NoSuchThing\"}", ehr);
        assertThat(notFhir.statusCode()).isEqualTo(400);
        assertThat(notFhir.body()).contains("FHIR");
    }

    @Test
    void only_system_accounts_with_the_right_role_use_the_api() throws Exception {
        var nurse = fixtures.user("api-nurse", JobType.NURSE, "NURSE", "AUDIT_SOURCE");
        var auditor = fixtures.user("api-aud", JobType.SYSTEM, "AUDITOR");
        String body = FHIR.newJsonParser().encodeResourceToString(read("u", "p", "t"));
        assertThat(send("POST", "/fhir/AuditEvent", body, nurse).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/fhir/AuditEvent", body, auditor).statusCode()).isEqualTo(403);
        HttpResponse<String> anonymous = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/AuditEvent"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> metadata = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/metadata"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("CapabilityStatement").contains("AuditEvent");
    }
}
