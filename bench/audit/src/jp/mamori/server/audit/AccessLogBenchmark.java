package jp.mamori.server.audit;

import ca.uhn.fhir.context.FhirContext;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import jp.mamori.auditlog.MerkleLog;
import jp.mamori.auditlog.Proofs;
import jp.mamori.server.ServerTest;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Durable ingest through the FHIR batch API against raw PostgreSQL COPY into a table of the same
 * shape, patient-history search and inclusion proofs over what was ingested, and bytes per event.
 * Run: {@code ./mvnw -pl mamori-server -am -Pbench test -Dtest=AccessLogBenchmark -Dbench.events=1000000}.
 */
@Tag("bench")
class AccessLogBenchmark extends ServerTest {

    private static final int EVENTS = Integer.getInteger("bench.events", 200_000);
    private static final int BATCH = 1000;
    private static final int PATIENTS = 20_000;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    FacilityLog log;

    @Test
    void ingest_search_and_proofs() throws Exception {
        FhirContext fhir = FhirContext.forR4Cached();
        var ehr = fixtures.user("bench-ehr", JobType.SYSTEM, "AUDIT_SOURCE");
        String auth = "Basic " + Base64.getEncoder()
                .encodeToString((ehr.loginId() + ":" + ehr.password()).getBytes(StandardCharsets.UTF_8));
        Random random = new Random(1);
        List<String> bundles = new ArrayList<>();
        for (int b = 0; b < EVENTS / BATCH; b++) {
            Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH);
            for (int i = 0; i < BATCH; i++) {
                AuditEvent e = FhirAuditEventTest.read(
                        "user-" + random.nextInt(500), "P" + random.nextInt(PATIENTS), "TERM-" + random.nextInt(50));
                bundle.addEntry().setResource(e);
            }
            bundles.add(fhir.newJsonParser().encodeResourceToString(bundle));
        }

        // Reference: COPY of the same number of rows, of the same shape and size, into a scratch table.
        jdbc.sql("DROP TABLE IF EXISTS bench_copy").update();
        jdbc.sql("CREATE TABLE bench_copy (LIKE audit_event INCLUDING DEFAULTS)").update();
        jdbc.sql("CREATE INDEX ON bench_copy (patient_id, recorded_at)").update();
        // Each row carries a body as long as a stored event's canonical JSON.
        String sampleBody = bundles.get(0).substring(0, 900);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < EVENTS; i++) {
            csv.append("1\t").append(i).append("\t2026-11-23 00:00:00+00\taccess\trest/read\tSUCCESS\t\\N\tuser-")
                    .append(i % 500).append("\t\\N\tTERM-1\tP").append(i % PATIENTS).append('\t')
                    .append(sampleBody.replace("\t", " ").replace("\n", " ").replace("\\", "")).append('\n');
        }
        long c0 = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY bench_copy (log_id, leaf_index, recorded_at, kind, type, outcome, account_id, login_id,"
                            + " terminal_id, source_addr, patient_id, body) FROM STDIN",
                    new StringReader(csv.toString()));
        }
        double copyPerSecond = EVENTS / ((System.nanoTime() - c0) / 1e9);
        jdbc.sql("DROP TABLE bench_copy").update();

        // Mamori: batches of 1,000 over HTTP from several clients, each answered once durable.
        HttpClient http = HttpClient.newHttpClient();
        AtomicLong stored = new AtomicLong();
        int clients = Integer.getInteger("bench.clients", 4);
        ExecutorService ex = Executors.newFixedThreadPool(clients);
        long before = jdbc.sql("SELECT tree_size FROM audit_log WHERE id = ?").param(log.id()).query(Long.class).single();
        long t0 = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < clients; w++) {
            int worker = w;
            running.add(ex.submit(() -> {
                for (int b = worker; b < bundles.size(); b += clients) {
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir"))
                                    .header("Content-Type", "application/fhir+json")
                                    .header("Authorization", auth)
                                    .POST(HttpRequest.BodyPublishers.ofString(bundles.get(b)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("Batch refused: " + r.body());
                    }
                    stored.addAndGet(BATCH);
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        ex.shutdown();
        double ingestPerSecond = stored.get() / ((System.nanoTime() - t0) / 1e9);

        // Patient history: a patient's accesses, newest first.
        List<Long> history = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String patient = "P" + random.nextInt(PATIENTS);
            long s = System.nanoTime();
            jdbc.sql("SELECT leaf_index, recorded_at, login_id FROM audit_event WHERE patient_id = ? ORDER BY recorded_at DESC LIMIT 100")
                    .param(patient)
                    .query((rs, n) -> rs.getLong(1))
                    .list();
            history.add(System.nanoTime() - s);
        }

        // Inclusion proofs from the tiles in PostgreSQL, checked against the root.
        long size = jdbc.sql("SELECT tree_size FROM audit_log WHERE id = ?").param(log.id()).query(Long.class).single();
        MerkleLog tree = new MerkleLog(new PgTileStore(jdbc, log.id()), size);
        byte[] root = tree.root();
        List<Long> proofs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long index = before + random.nextInt((int) (size - before));
            long s = System.nanoTime();
            var proof = tree.inclusionProof(index, size);
            Proofs.verifyInclusion(index, size, tree.leafHash(index), proof, root);
            proofs.add(System.nanoTime() - s);
        }
        long bytes = jdbc.sql(
                        """
                        SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
                        WHERE c.relname LIKE 'audit_event%' AND c.relkind = 'r' OR c.relname = 'audit_tile'""")
                .query(Long.class)
                .single();

        System.out.printf("%n== Access log, %,d events (%d-event batches over HTTP, %d clients) ==%n", EVENTS, BATCH, Integer.getInteger("bench.clients", 4));
        System.out.printf("reference, PostgreSQL COPY into a table of the same shape: %,.0f rows/s%n", copyPerSecond);
        System.out.printf("durable ingest through the FHIR batch API: %,.0f events/s%n", ingestPerSecond);
        System.out.printf("ratio ingest / COPY: %.2f (target 0.50)%n", ingestPerSecond / copyPerSecond);
        System.out.printf("patient history (100 newest of one patient): p50 %.2f ms, p99 %.2f ms%n",
                pct(history, 50), pct(history, 99));
        System.out.printf("inclusion proof from PostgreSQL tiles, generated and checked: p50 %.2f ms, p99 %.2f ms%n",
                pct(proofs, 50), pct(proofs, 99));
        System.out.printf("bytes on disk per event (events, indexes, tiles): %,.0f%n", (double) bytes / size);
        System.out.printf("at %s%n", Instant.now());
    }

    private static double pct(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1e6;
    }
}
