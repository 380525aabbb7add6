package jp.mamori.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import jp.mamori.server.ServerTest;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.audit.StoredSecurityEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class MachineSignInsTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    SecurityEvents events;

    @Autowired
    AccountStore accounts;

    @Autowired
    PasswordService passwords;

    @Test
    void a_system_account_is_verified_in_full_once_and_a_changed_or_wrong_password_is_refused() throws Exception {
        var ehr = fixtures.user("ehr-machine", JobType.SYSTEM, "AUDITOR");
        for (int i = 0; i < 3; i++) {
            assertThat(call(ehr.loginId(), ehr.password())).isEqualTo(200);
        }
        assertThat(events.latestOf(ehr.id(), 20).stream()
                        .filter(e ->
                                e.type() == SecurityEventType.LOGIN && e.outcome() == SecurityEvent.Outcome.SUCCESS))
                .hasSize(1);
        // A changed password is verified in full (and logged again); the old one is refused.
        accounts.setPassword(ehr.id(), passwords.hash("Another-Synthetic-Pass-42!"));
        assertThat(call(ehr.loginId(), "Another-Synthetic-Pass-42!")).isEqualTo(200);
        assertThat(events.latestOf(ehr.id(), 20).stream()
                        .filter(e ->
                                e.type() == SecurityEventType.LOGIN && e.outcome() == SecurityEvent.Outcome.SUCCESS))
                .hasSize(2);
        assertThat(call(ehr.loginId(), ehr.password())).isEqualTo(401);
        assertThat(events.latestOf(ehr.id(), 1))
                .extracting(StoredSecurityEvent::outcome)
                .containsExactly(SecurityEvent.Outcome.FAILURE);
    }

    private int call(String loginId, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((loginId + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/AuditEvent?patient=P-NONE"))
                                .header("Authorization", "Basic " + basic)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
