package jp.mamori.auditlog.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import jp.mamori.auditlog.DirectoryTileStore;
import jp.mamori.auditlog.Hashes;
import jp.mamori.auditlog.InMemoryTileStore;
import jp.mamori.auditlog.MerkleLog;
import jp.mamori.auditlog.Proofs;
import jp.mamori.auditlog.checkpoint.Checkpoint;
import jp.mamori.auditlog.checkpoint.NoteSigner;
import jp.mamori.auditlog.export.ExportVerifier;
import jp.mamori.auditlog.export.ExportWriter;
import jp.mamori.auditlog.export.VerificationResult;

/**
 * Measures append throughput, inclusion proof latency and full export verification, each next to a
 * reference measured in the same run: plain SHA-256 over the same bytes.
 *
 * <p>Arguments: sizes of the exports to verify (default 1000000 10000000), and {@code --dir DIR} for the
 * scratch directory (default: a temporary directory, removed afterwards).
 */
public final class AuditLogBench {

    public static void main(String[] args) throws Exception {
        List<Long> sizes = new ArrayList<>();
        Path scratch = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dir")) {
                scratch = Path.of(args[++i]);
            } else {
                sizes.add(Long.parseLong(args[i].replace("_", "")));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1_000_000L, 10_000_000L);
        }
        boolean temporary = scratch == null;
        if (temporary) {
            scratch = Files.createTempDirectory("auditlog-bench");
        }
        System.out.printf("java %s, %d processors%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        try {
            append(1_000_000);
            for (long n : sizes) {
                Path dir = scratch.resolve("export-" + n);
                writeExport(dir, n);
                proofs(dir, n);
                verify(dir, n);
            }
        } finally {
            if (temporary) {
                try (Stream<Path> s = Files.walk(scratch)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    static byte[] event(long i) {
        return ("{\"actor\":\"staff-" + (i % 997) + "\",\"action\":\"read\",\"patient\":\"P-" + (i * 7919 % 1_000_003)
                        + "\",\"terminal\":\"T-" + (i % 61) + "\",\"at\":" + (1_767_225_600L + i) + ",\"outcome\":0}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static void append(int n) throws Exception {
        List<byte[]> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(event(i));
        }
        for (int round = 0; round < 2; round++) { // the first round warms up the JIT
            long t0 = System.nanoTime();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] e : events) {
                md.update(e);
                md.digest();
            }
            long ref = System.nanoTime() - t0;
            t0 = System.nanoTime();
            MerkleLog log = new MerkleLog(new InMemoryTileStore(), 0);
            for (int i = 0; i < n; i += 1000) {
                log.append(events.subList(i, Math.min(n, i + 1000)));
            }
            long t = System.nanoTime() - t0;
            if (round == 1) {
                System.out.printf(
                        "append %,d events in batches of 1000 (in-memory tiles): %,.0f events/s; %.2f x the time of one SHA-256 per event%n",
                        n, n / (t / 1e9), (double) t / ref);
            }
        }
    }

    static void writeExport(Path dir, long n) throws Exception {
        long t0 = System.nanoTime();
        NoteSigner signer = NoteSigner.generate("bench.example/log");
        try (ExportWriter w = ExportWriter.create(dir, signer.verifier())) {
            for (long i = 0; i < n; i++) {
                w.event(event(i));
                if ((i + 1) % (n / 10) == 0 || i + 1 == n) {
                    w.checkpoint(signer.sign(new Checkpoint("bench.example/log", i + 1, w.root())));
                }
            }
        }
        System.out.printf("wrote export of %,d events (%,d MB of events) in %.1f s%n",
                n, Files.size(dir.resolve("events.ndjson")) >> 20, (System.nanoTime() - t0) / 1e9);
    }

    static void proofs(Path dir, long n) throws Exception {
        MerkleLog log = new MerkleLog(new DirectoryTileStore(dir), n);
        byte[] root = log.root();
        Random r = new Random(1);
        for (int k = 0; k < 500; k++) { // warm-up
            long i = Math.floorMod(r.nextLong(), n);
            Proofs.verifyInclusion(i, n, log.leafHash(i), log.inclusionProof(i, n), root);
        }
        int count = 2000;
        long[] ns = new long[count];
        for (int k = 0; k < count; k++) {
            long i = Math.floorMod(r.nextLong(), n);
            long t0 = System.nanoTime();
            List<byte[]> proof = log.inclusionProof(i, n);
            Proofs.verifyInclusion(i, n, log.leafHash(i), proof, root);
            ns[k] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(ns);
        long t0 = System.nanoTime();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int k = 0; k < 1000; k++) {
            md.update(new byte[Hashes.SIZE * 2 + 1]);
            md.digest();
        }
        double sha = (System.nanoTime() - t0) / 1000.0;
        System.out.printf(
                "inclusion proof, tree of %,d, tiles on disk, generate + verify: median %.3f ms, p99 %.3f ms"
                        + " (%.0f x one 65-byte SHA-256)%n",
                n, ns[count / 2] / 1e6, ns[count * 99 / 100] / 1e6, ns[count / 2] / sha);
    }

    static void verify(Path dir, long n) throws Exception {
        Path events = dir.resolve("events.ndjson");
        long t0 = System.nanoTime();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(events)) {
            for (int k; (k = in.read(buf)) > 0; ) {
                md.update(buf, 0, k);
            }
        }
        md.digest();
        long ref = System.nanoTime() - t0;
        t0 = System.nanoTime();
        VerificationResult r = ExportVerifier.verify(dir);
        long t = System.nanoTime() - t0;
        if (!r.ok()) {
            throw new IllegalStateException("export does not verify: " + r.problem());
        }
        System.out.printf("verify export of %,d events: %.1f s (%,.0f events/s); %.1f x one SHA-256 pass over events.ndjson (%.1f s)%n",
                n, t / 1e9, n / (t / 1e9), (double) t / ref, ref / 1e9);
    }
}
