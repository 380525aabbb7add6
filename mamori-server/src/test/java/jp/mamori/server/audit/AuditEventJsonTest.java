package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import jp.mamori.auditlog.jcs.Json;
import jp.mamori.server.ServerTest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The batch API's own reading of AuditEvent JSON gives what HAPI FHIR's reading gives. */
class AuditEventJsonTest extends ServerTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Autowired
    AccessEvents events;

    @Test
    void reads_the_same_columns_and_leaf_as_the_hapi_path() throws Exception {
        AuditEvent plain = FhirAuditEventTest.read("dr-json-1", "P-JSON-1", "OPD-01");
        AuditEvent byIdentifier = FhirAuditEventTest.read("dr-json-2", "unused", "OPD-02");
        byIdentifier
                .getEntityFirstRep()
                .setWhat(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier().setValue("P-JSON-ID")));
        byIdentifier.getSubtype().clear();
        byIdentifier.setOutcome(AuditEvent.AuditEventOutcome._4);
        AuditEvent byReference = FhirAuditEventTest.read("ignored", "P-JSON-3", "OPD-03");
        byReference.getAgentFirstRep().setRequestor(false).setWho(new Reference("Practitioner/dr-json-3"));
        byReference.addAgent().setWho(new Reference().setDisplay("試験 花子")).setRequestor(false);
        byReference
                .getSource()
                .getObserver()
                .setDisplay(null)
                .setIdentifier(new org.hl7.fhir.r4.model.Identifier().setValue("EHR-JSON"));
        byReference.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", "vread", "vread"));
        Instant received = Instant.parse("2026-11-23T01:00:00Z");
        for (AuditEvent e : List.of(plain, byIdentifier, byReference)) {
            byte[] body = FHIR.newJsonParser().encodeResourceToString(e).getBytes(StandardCharsets.UTF_8);
            AccessEvents.Parsed parsed = AccessEvents.parseOne(body);
            FacilityLog.Entry hapi = events.prepare(
                    (AuditEvent) parsed.resource(), parsed.json(), received, AccessEvents.Arrival.FHIR, "");
            FacilityLog.Entry own = events.prepareJson(Json.parse(body), received, AccessEvents.Arrival.FHIR, "");
            assertThat(own.type()).isEqualTo(hapi.type());
            assertThat(own.outcome()).isEqualTo(hapi.outcome());
            assertThat(own.loginId()).isEqualTo(hapi.loginId());
            assertThat(own.sourceAddress()).isEqualTo(hapi.sourceAddress());
            assertThat(own.patientId()).isEqualTo(hapi.patientId());
            assertThat(own.sourceAt()).isEqualTo(hapi.sourceAt());
            assertThat(own.sourceSystem()).isEqualTo(hapi.sourceSystem());
            assertThat(own.skewed()).isEqualTo(hapi.skewed());
            assertThat(own.canonicalJson()).isEqualTo(hapi.canonicalJson());
        }
    }

    @Test
    void refuses_what_it_cannot_store_naming_the_entry_and_element() {
        String good = FHIR.newJsonParser().encodeResourceToString(FhirAuditEventTest.read("dr-json-9", "P-J-9", "T-9"));
        assertThatThrownBy(() -> bundle(good, good.replace("\"recorded\"", "\"recordedd\"")))
                .hasMessageContaining("entry 1: AuditEvent has no element \"recordedd\"");
        assertThatThrownBy(() -> bundle(good.replaceFirst("\"recorded\":\"[^\"]*\"", "\"recorded\":\"yesterday\"")))
                .hasMessageContaining("entry 0: AuditEvent.recorded \"yesterday\" is not an instant");
        assertThatThrownBy(() -> bundle(good, good, good.replace("\"outcome\":\"0\"", "\"outcome\":\"5\"")))
                .hasMessageContaining("entry 2: AuditEvent.outcome \"5\" is not one of 0, 4, 8, 12");
        assertThatThrownBy(() -> bundle(good.replaceFirst("\"agent\":\\[", "\"agent\":[],\"x\":[")))
                .hasMessageContaining("entry 0: AuditEvent has no element \"x\"");
        assertThatThrownBy(() -> events.storeBundleJson(
                        Json.parse("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[]}")))
                .hasMessageContaining("Expected a batch or transaction Bundle");
        assertThatThrownBy(
                        () -> events.storeBundleJson(
                                Json.parse(
                                        "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\"}}]}")))
                .hasMessageContaining("Bundle entry 0 is a Patient; only AuditEvent entries are accepted");
    }

    private void bundle(String... resources) throws Exception {
        events.storeBundleJson(Json.parse("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + String.join(
                        ",",
                        java.util.Arrays.stream(resources)
                                .map(r -> "{\"resource\":" + r + "}")
                                .toList())
                + "]}"));
    }
}
