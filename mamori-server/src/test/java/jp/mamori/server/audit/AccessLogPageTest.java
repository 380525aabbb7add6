package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AccessLogPageTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    AccessEvents accessEvents;

    @Test
    void the_security_officer_sees_who_read_a_patient_and_what_a_user_touched() {
        String patient = "P" + System.nanoTime();
        accessEvents.store(List.of(
                FhirAuditEventTest.read("dr-page-1", patient, "OPD-IM-1"),
                FhirAuditEventTest.read("dr-page-1", patient, "OPD-IM-1"),
                FhirAuditEventTest.read("ns-page-2", patient, "WARD3-01")));
        var officer = fixtures.user("so", JobType.DOCTOR, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get("/audit?patient=" + patient);
        assertThat(web.last().statusCode()).isEqualTo(200);
        assertThat(web.last().body())
                .contains("dr-page-1")
                .contains("ns-page-2")
                .contains("OPD-IM-1");
        web.get("/audit?user=dr-page-1");
        assertThat(web.last().body()).contains(patient).contains("<td>2</td>");
        assertThat(web.last().body()).contains("— mamori.local/audit");
    }

    @Test
    void a_nurse_cannot_read_the_access_log() {
        var nurse = fixtures.user("ns-nolog", JobType.NURSE, "NURSE");
        WebClient web = signIn(nurse);
        assertThat(web.get("/audit").statusCode()).isEqualTo(403);
        assertThat(web.get("/audit/export.zip").statusCode()).isEqualTo(403);
    }
}
