package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import jp.mamori.auditlog.DirectoryTileStore;
import jp.mamori.auditlog.Hashes;
import jp.mamori.auditlog.MerkleLog;
import jp.mamori.auditlog.Proofs;
import jp.mamori.auditlog.checkpoint.Checkpoint;
import jp.mamori.auditlog.export.ExportVerifier;
import jp.mamori.auditlog.export.VerificationResult;
import jp.mamori.auditlog.jcs.Json;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestClock;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Retention in a server of its own that keeps events for 30 days. */
class AccessLogRetentionTest extends ServerTest {

    @DynamicPropertySource
    static void retention(DynamicPropertyRegistry registry) {
        registry.add("mamori.audit.retention", () -> "P30D");
    }

    @Autowired
    AccessEvents accessEvents;

    @Autowired
    AccessLogRetention retention;

    @Autowired
    AuditExport export;

    @Autowired
    SecurityEvents securityEvents;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestClock clock;

    @TempDir
    Path tmp;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void expired_events_lose_their_bodies_and_the_log_still_verifies_and_proves() throws Exception {
        List<AuditEvent> old = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            old.add(FhirAuditEventTest.read("rt-old", "P-RT-OLD-" + (i % 7), "WARD-RT-01"));
        }
        List<Long> oldIndexes = accessEvents.store(old);

        clock.advance(Duration.ofDays(31));
        List<Long> fresh = accessEvents.store(List.of(FhirAuditEventTest.read("rt-new", "P-RT-NEW-1", "WARD-RT-02")));
        long keptIndex = fresh.get(0);
        AccessLogRetention.Expiry expiry = retention.expire();

        assertThat(expiry).isNotNull();
        assertThat(expiry.firstIndex()).isLessThanOrEqualTo(oldIndexes.get(0));
        assertThat(expiry.lastIndex()).isGreaterThanOrEqualTo(oldIndexes.get(oldIndexes.size() - 1));
        assertThat(expiry.lastIndex()).isLessThan(keptIndex);
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM audit_event WHERE patient_id LIKE 'P-RT-OLD-%' OR login_id = 'rt-old'")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT body FROM audit_event WHERE leaf_index = ?")
                        .param(keptIndex)
                        .query(String.class)
                        .single())
                .contains("P-RT-NEW-1");
        // The expiry is itself in the log, with its range.
        assertThat(securityEvents.latest(20)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(SecurityEventType.ACCESS_LOG_EXPIRED);
            assertThat(e.detail())
                    .containsEntry("first_index", String.valueOf(expiry.firstIndex()))
                    .containsEntry("last_index", String.valueOf(expiry.lastIndex()))
                    .containsEntry("count", String.valueOf(expiry.count()))
                    .containsEntry("retention", "P30D");
        });
        // Nothing is expired twice, and an expired event stays as it is.
        assertThat(retention.expire()).isNull();
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_event SET body = '{}' WHERE leaf_index = ?")
                        .param(oldIndexes.get(0))
                        .update())
                .hasMessageContaining("audit events cannot be changed or deleted");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_event WHERE leaf_index = ?")
                        .param(oldIndexes.get(0))
                        .update())
                .hasMessageContaining("audit events cannot be changed or deleted");

        // Offline: the export verifies, says how many were expired, and proves the kept event.
        Path dir = tmp.resolve("export");
        export.writeTo(dir);
        VerificationResult result = ExportVerifier.verify(dir);
        assertThat(result.problem()).isEmpty();
        assertThat(result.expired()).isEqualTo(expiry.count());
        String line = Files.readAllLines(dir.resolve("events.ndjson"), StandardCharsets.UTF_8)
                .get(Math.toIntExact(oldIndexes.get(0)));
        assertThat(line).startsWith("{\"index\":" + oldIndexes.get(0) + ",\"leafHash\":\"");

        var checkpoints = ExportVerifier.readCheckpoints(dir, ExportVerifier.readKey(dir));
        Checkpoint latest = checkpoints.lastEntry().getValue();
        assertThat(latest.size()).isGreaterThan(keptIndex);
        MerkleLog tree = new MerkleLog(new DirectoryTileStore(dir), latest.size());
        String keptBody = jdbc.sql("SELECT body FROM audit_event WHERE leaf_index = ?")
                .param(keptIndex)
                .query(String.class)
                .single();
        byte[] leaf = Hashes.leafHash(Json.canonicalize(Json.parse(keptBody)));
        Proofs.verifyInclusion(
                keptIndex, latest.size(), leaf, tree.inclusionProof(keptIndex, latest.size()), latest.rootHash());
        // An expired event still proves its place by its leaf hash.
        byte[] expiredLeaf =
                Base64.getDecoder().decode(line.substring(line.indexOf("leafHash\":\"") + 11, line.length() - 2));
        Proofs.verifyInclusion(
                oldIndexes.get(0),
                latest.size(),
                expiredLeaf,
                tree.inclusionProof(oldIndexes.get(0), latest.size()),
                latest.rootHash());
    }

    @Test
    void no_interface_changes_or_deletes_an_event() throws Exception {
        var ehr = fixtures.user("rt-ehr", JobType.SYSTEM, "AUDIT_SOURCE", "AUDITOR");
        long index = accessEvents
                .store(List.of(FhirAuditEventTest.read("rt-keep", "P-RT-KEEP", "WARD-RT-03")))
                .get(0);
        String before = jdbc.sql("SELECT body FROM audit_event WHERE leaf_index = ?")
                .param(index)
                .query(String.class)
                .single();
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic "
                + Base64.getEncoder()
                        .encodeToString((ehr.loginId() + ":" + ehr.password()).getBytes(StandardCharsets.UTF_8));
        for (String method : List.of("DELETE", "PUT", "PATCH")) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/AuditEvent/" + index))
                            .header("Authorization", auth)
                            .header("Content-Type", "application/fhir+json")
                            .method(method, HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"AuditEvent\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.body()).contains("append-only");
        }
        // The administrator's browser: the access log pages only read.
        var admin = fixtures.administrator();
        WebClient web = signIn(admin);
        web.get("/audit");
        for (String path : List.of("/audit", "/audit/review", "/audit/export.zip")) {
            assertThat(web.post(path, java.util.Map.of("index", String.valueOf(index)))
                            .statusCode())
                    .as(path)
                    .isEqualTo(405);
        }
        assertThat(jdbc.sql("SELECT body FROM audit_event WHERE leaf_index = ?")
                        .param(index)
                        .query(String.class)
                        .single())
                .isEqualTo(before);
    }
}
