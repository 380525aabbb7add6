package jp.mamori.server.audit;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;
import jp.mamori.auditlog.MerkleLog;
import jp.mamori.auditlog.Proofs;
import jp.mamori.auditlog.export.ExportVerifier;
import jp.mamori.auditlog.export.VerificationResult;
import jp.mamori.auditlog.jcs.Json;
import jp.mamori.server.ServerTest;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Durable ingest through the FHIR batch API against raw PostgreSQL COPY into a table of the same
 * shape, then over the whole log: patient history, inclusion proofs, bytes per event, and the
 * export's full verification. Run, for instance:
 *
 * <pre>
 * ./mvnw -pl mamori-server -am -Pbench test -Dtest=AccessLogBenchmark -Dbench.events=1000000
 * </pre>
 *
 * <p>{@code bench.events} is the size of the log. {@code bench.http.events} (default: all of them, at
 * most 2,000,000) is how many of those are sent over HTTP; the rest are appended in-process first,
 * through the same append, in 10,000-event batches, so that a 10-million-event log does not take
 * hours to build. {@code bench.clients} (default 4) HTTP clients send 1,000-event batch Bundles.
 * {@code bench.verify=false} skips the export and its verification; {@code bench.indexes=true}
 * measures what each index of the event table costs a COPY.
 */
@Tag("bench")
class AccessLogBenchmark extends ServerTest {

    private static final long EVENTS = Long.getLong("bench.events", 100_000);
    private static final long HTTP_EVENTS = Long.getLong("bench.http.events", Math.min(EVENTS, 2_000_000));
    private static final int CLIENTS = Integer.getInteger("bench.clients", 4);
    private static final int BATCH = 1000;
    private static final int PRELOAD_BATCH = 10_000;
    private static final int PATIENTS = 20_000;
    private static final String COLUMNS = "log_id, leaf_index, recorded_at, kind, type, outcome, account_id, login_id,"
            + " terminal_id, source_addr, patient_id, source_at, source_system, skewed, body";

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    FacilityLog log;

    @Autowired
    AccessEvents events;

    @Autowired
    AuditExport export;

    /** One AuditEvent as HAPI FHIR writes it, with the user, patient and terminal left to fill in. */
    private static final String[] TEMPLATE = FhirContext.forR4Cached()
            .newJsonParser()
            .encodeResourceToString(FhirAuditEventTest.read("@U@", "@P@", "@T@"))
            .split("@[UPT]@", -1);

    private static void event(StringBuilder out, Random random) {
        out.append(TEMPLATE[0])
                .append("user-")
                .append(random.nextInt(500))
                .append(TEMPLATE[1])
                .append("TERM-")
                .append(random.nextInt(50))
                .append(TEMPLATE[2])
                .append('P')
                .append(random.nextInt(PATIENTS))
                .append(TEMPLATE[3]);
    }

    private static String bundle(Random random) {
        StringBuilder b = new StringBuilder(BATCH * 1100).append("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        for (int i = 0; i < BATCH; i++) {
            b.append(i == 0 ? "{\"resource\":" : ",{\"resource\":");
            event(b, random);
            b.append('}');
        }
        return b.append("]}").toString();
    }

    @Test
    void ingest_search_proofs_and_verification() throws Exception {
        if (!TEMPLATE[1].contains("\"") || TEMPLATE.length != 4) {
            throw new IllegalStateException("The event template did not come out as expected");
        }
        var ehr = fixtures.user("bench-ehr", JobType.SYSTEM, "AUDIT_SOURCE");
        String auth = "Basic " + Base64.getEncoder()
                .encodeToString((ehr.loginId() + ":" + ehr.password()).getBytes(StandardCharsets.UTF_8));
        if (Boolean.getBoolean("bench.indexes")) {
            indexCosts();
        }

        // Reference: COPY of as many rows as go over HTTP, of the same shape and size, into a scratch
        // table, once before and once after the ingest (the machine is shared; its speed drifts).
        double copyBefore = referenceCopy(HTTP_EVENTS);

        long preloadStart = System.nanoTime();
        long preloaded = preload(EVENTS - HTTP_EVENTS);
        double preloadSeconds = (System.nanoTime() - preloadStart) / 1e9;

        // Mamori: batches of 1,000 over HTTP from several clients, each answered once durable.
        HttpClient http = HttpClient.newHttpClient();
        AtomicLong stored = new AtomicLong();
        long batches = HTTP_EVENTS / BATCH;
        AtomicLong nextBatch = new AtomicLong();
        ExecutorService ex = Executors.newFixedThreadPool(CLIENTS);
        long before = treeSize();
        long t0 = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < CLIENTS; w++) {
            Random random = new Random(w);
            running.add(ex.submit(() -> {
                while (nextBatch.getAndIncrement() < batches) {
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir"))
                                    .header("Content-Type", "application/fhir+json")
                                    .header("Authorization", auth)
                                    .POST(HttpRequest.BodyPublishers.ofString(bundle(random)))
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
        double ingestSeconds = (System.nanoTime() - t0) / 1e9;
        double ingestPerSecond = stored.get() / ingestSeconds;
        double copyAfter = referenceCopy(HTTP_EVENTS);
        double copyPerSecond = (copyBefore + copyAfter) / 2;
        long size = treeSize();
        // (Security events, such as the client's first sign-in, are appended too.)
        if (size - before < stored.get()) {
            throw new IllegalStateException("The log grew by " + (size - before) + ", " + stored.get() + " were sent");
        }

        Random random = new Random(99);
        jdbc.sql("ANALYZE audit_event").update();
        System.out.println("patient history plan:\n" + String.join("\n", jdbc.sql(
                        """
                        EXPLAIN SELECT leaf_index, recorded_at, body FROM audit_event
                        WHERE kind = 'access' AND log_id = ? AND body IS NOT NULL AND patient_id = ?
                        ORDER BY recorded_at DESC, leaf_index DESC LIMIT 100""")
                .params(log.id(), "P1")
                .query(String.class)
                .list()));
        // Patient history: the 100 newest accesses to one patient, as the FHIR search reads them.
        List<Long> historySql = new ArrayList<>();
        List<Long> historySearch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String patient = "P" + random.nextInt(PATIENTS);
            long s = System.nanoTime();
            jdbc.sql(
                            """
                            SELECT leaf_index, recorded_at, body FROM audit_event
                            WHERE kind = 'access' AND log_id = ? AND body IS NOT NULL AND patient_id = ?
                            ORDER BY recorded_at DESC, leaf_index DESC LIMIT 100""")
                    .params(log.id(), patient)
                    .query((rs, n) -> rs.getString(3))
                    .list();
            historySql.add(System.nanoTime() - s);
            s = System.nanoTime();
            events.search(new AccessEvents.Search(patient, null, null, null, 100));
            historySearch.add(System.nanoTime() - s);
        }

        // Inclusion proofs straight from the tiles in PostgreSQL (no cache), checked against the root.
        MerkleLog tree = new MerkleLog(new PgTileStore(jdbc, log.id()), size);
        byte[] root = tree.root();
        List<Long> proofs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long index = (long) (random.nextDouble() * size);
            long s = System.nanoTime();
            var proof = tree.inclusionProof(index, size);
            Proofs.verifyInclusion(index, size, tree.leafHash(index), proof, root);
            proofs.add(System.nanoTime() - s);
        }
        long eventBytes = jdbc.sql(
                        """
                        SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
                        WHERE c.relname LIKE 'audit_event%' AND c.relkind = 'r'""")
                .query(Long.class)
                .single();
        long tileBytes = jdbc.sql("SELECT pg_total_relation_size('audit_tile')")
                .query(Long.class)
                .single();

        // Full verification: the export an auditor receives, checked by the library's verifier.
        double exportSeconds = Double.NaN;
        double verifySeconds = Double.NaN;
        long exportBytes = 0;
        if (!"false".equals(System.getProperty("bench.verify"))) {
            Path dir = Files.createTempDirectory("mamori-bench-export");
            try {
                long e0 = System.nanoTime();
                export.writeTo(dir.resolve("export"));
                exportSeconds = (System.nanoTime() - e0) / 1e9;
                exportBytes = Files.size(dir.resolve("export/events.ndjson"));
                long v0 = System.nanoTime();
                VerificationResult result = ExportVerifier.verify(dir.resolve("export"));
                verifySeconds = (System.nanoTime() - v0) / 1e9;
                if (!result.ok() || result.events() < size) {
                    throw new IllegalStateException("The export did not verify: " + result);
                }
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }

        System.out.printf(
                "%n== Access log of %,d events: %,d sent over HTTP in %d-event batches by %d clients ==%n",
                size, stored.get(), BATCH, CLIENTS);
        if (preloaded > 0) {
            System.out.printf(
                    "appended in-process first (no HTTP, %,d-event batches): %,d events, %,.0f events/s%n",
                    PRELOAD_BATCH, preloaded, preloaded / preloadSeconds);
        }
        System.out.printf(
                "reference, PostgreSQL COPY of %,d rows of the same shape: %,.0f rows/s (before %,.0f, after %,.0f)%n",
                HTTP_EVENTS, copyPerSecond, copyBefore, copyAfter);
        System.out.printf("durable ingest through the FHIR batch API: %,.0f events/s (%.1f s)%n", ingestPerSecond, ingestSeconds);
        System.out.printf("ratio ingest / COPY: %.2f (target 0.50)%n", ingestPerSecond / copyPerSecond);
        System.out.printf(
                "patient history, 100 newest of one patient: SQL p50 %.2f ms, p99 %.2f ms; FHIR search in-process p50 %.2f ms, p99 %.2f ms%n",
                pct(historySql, 50), pct(historySql, 99), pct(historySearch, 50), pct(historySearch, 99));
        System.out.printf(
                "inclusion proof from PostgreSQL tiles, generated and checked: p50 %.2f ms, p99 %.2f ms%n",
                pct(proofs, 50), pct(proofs, 99));
        System.out.printf(
                "bytes on disk per event: %,.0f (event table with its indexes %,.0f, tiles %,.1f)%n",
                (double) (eventBytes + tileBytes) / size, (double) eventBytes / size, (double) tileBytes / size);
        if (!Double.isNaN(verifySeconds)) {
            System.out.printf(
                    "export written in %.1f s (%,.0f bytes of events per event); full verification: %.1f s (%,.0f events/s)%n",
                    exportSeconds, (double) exportBytes / size, verifySeconds, size / verifySeconds);
        }
        System.out.printf("at %s%n", Instant.now());
    }

    private long treeSize() {
        return jdbc.sql("SELECT tree_size FROM audit_log WHERE id = ?")
                .param(log.id())
                .query(Long.class)
                .single();
    }

    /** Appends events in-process, through the same preparation and append as the batch API. */
    private long preload(long count) {
        Random random = new Random(7);
        long done = 0;
        StringBuilder one = new StringBuilder(1200);
        while (done < count) {
            int n = (int) Math.min(PRELOAD_BATCH, count - done);
            Instant received = events.now();
            List<FacilityLog.Entry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                one.setLength(0);
                event(one, random);
                try {
                    entries.add(events.prepareJson(
                            Json.parse(one.toString()), received, AccessEvents.Arrival.FHIR, "entry " + i + ": "));
                } catch (jp.mamori.auditlog.jcs.JsonParseException e) {
                    throw new IllegalStateException(e);
                }
            }
            events.append(entries);
            done += n;
            if (done % 1_000_000 == 0) {
                System.out.printf("appended in-process: %,d%n", done);
            }
        }
        return done;
    }

    /** COPY of {@code rows} rows like stored events into a scratch table with the patient index. */
    private double referenceCopy(long rows) throws Exception {
        return copyInto("CREATE INDEX ON bench_copy (patient_id, recorded_at)", rows);
    }

    private double copyInto(String index, long rows) throws Exception {
        jdbc.sql("DROP TABLE IF EXISTS bench_copy").update();
        jdbc.sql("CREATE TABLE bench_copy (LIKE audit_event INCLUDING DEFAULTS)").update();
        if (!index.isEmpty()) {
            jdbc.sql(index).update();
        }
        // Each row carries a body of a stored event's size.
        String body = new String(sampleBody(), StandardCharsets.UTF_8).replace("\\", "");
        Random random = new Random(3);
        long c0 = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY bench_copy (" + COLUMNS + ") FROM STDIN");
            StringBuilder chunk = new StringBuilder(1_200_000);
            for (long i = 0; i < rows; i++) {
                chunk.append("1\t").append(i).append("\t2026-11-23 00:00:00+00\taccess\trest/read\tSUCCESS\t\\N\tuser-")
                        .append(random.nextInt(500)).append("\t\\N\tTERM-1\tP").append(random.nextInt(PATIENTS))
                        .append("\t2026-11-23 00:00:00+00\t試験電子カルテ\tf\t").append(body).append('\n');
                if (chunk.length() > 1_000_000 || i == rows - 1) {
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    in.writeToCopy(bytes, 0, bytes.length);
                    chunk.setLength(0);
                }
            }
            in.endCopy();
        }
        double perSecond = rows / ((System.nanoTime() - c0) / 1e9);
        jdbc.sql("DROP TABLE bench_copy").update();
        return perSecond;
    }

    private static byte[] sampleBody() {
        StringBuilder e = new StringBuilder();
        event(e, new Random(5));
        try {
            return Json.canonicalize(java.util.Map.of(
                    "kind", "access", "received", "2026-11-23T00:00:00Z", "resource", Json.parse(e.toString())));
        } catch (jp.mamori.auditlog.jcs.JsonParseException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** What each index of the event table adds to a COPY of 100,000 rows, against the bare table. */
    private void indexCosts() throws Exception {
        String[] indexes = {
            "",
            "ALTER TABLE bench_copy ADD PRIMARY KEY (log_id, leaf_index, recorded_at)",
            "CREATE INDEX ON bench_copy (log_id, leaf_index)",
            "CREATE INDEX ON bench_copy (account_id, recorded_at DESC)",
            "CREATE INDEX ON bench_copy (account_id, recorded_at DESC) WHERE account_id IS NOT NULL",
            "CREATE INDEX ON bench_copy (type, recorded_at DESC)",
            "CREATE INDEX ON bench_copy (type, recorded_at DESC) WHERE kind = 'security'",
            "CREATE INDEX ON bench_copy (recorded_at DESC)",
            "CREATE INDEX ON bench_copy (patient_id, recorded_at DESC) WHERE patient_id IS NOT NULL",
            "CREATE INDEX ON bench_copy (login_id, recorded_at DESC)",
            "CREATE INDEX ON bench_copy (log_id, recorded_at) WHERE expired_at IS NULL",
        };
        int rows = 100_000;
        copyInto("", rows); // warm-up
        // Each index against the bare table measured just before it, three times; the median of the
        // three differences (the machine is shared).
        for (String index : indexes) {
            List<Double> differences = new ArrayList<>();
            double bare = 0;
            for (int round = 0; round < 3; round++) {
                double without = 1e6 / copyInto("", rows);
                bare += without / 3;
                differences.add(index.isEmpty() ? without : 1e6 / copyInto(index, rows) - without);
            }
            Collections.sort(differences);
            if (index.isEmpty()) {
                System.out.printf("COPY into the bare table: %.1f µs per row%n", differences.get(1));
            } else {
                System.out.printf("%+.1f µs per row (bare %.1f): %s%n", differences.get(1), bare, index);
            }
        }
    }

    private static double pct(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1e6;
    }
}
