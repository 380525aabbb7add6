package jp.mamori.auditlog.export;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jp.mamori.auditlog.checkpoint.Checkpoint;
import jp.mamori.auditlog.checkpoint.NoteSigner;

/** Builds exports of synthetic access events (no real patient data). */
final class SyntheticExport {

    static final String ORIGIN = "audit.example-hospital.jp/log/1";

    private SyntheticExport() {}

    static String event(long i) {
        return "{\"actor\":\"staff-" + (i % 97) + "\",\"action\":\"" + (i % 3 == 0 ? "read" : "update")
                + "\",\"patient\":\"P-" + String.format("%07d", i * 7919 % 1_000_003) + "\",\"terminal\":\"T-"
                + (i % 13) + "\",\"at\":" + (1_767_225_600L + i) + ",\"outcome\":0}";
    }

    /**
     * Writes {@code size} events with checkpoints at each of {@code checkpointSizes}; events whose index is
     * in {@code expired} are written in expired form.
     */
    static NoteSigner write(Path dir, long size, List<Long> checkpointSizes, List<Long> expired) throws Exception {
        NoteSigner signer = NoteSigner.generate(ORIGIN);
        try (ExportWriter w = ExportWriter.create(dir, signer.verifier())) {
            for (long i = 0; i < size; i++) {
                byte[] json = event(i).getBytes(StandardCharsets.UTF_8);
                if (expired.contains(i)) {
                    w.expiredEvent(jp.mamori.auditlog.Hashes.leafHash(jp.mamori.auditlog.jcs.Json.canonicalize(json)));
                } else {
                    w.event(json);
                }
                if (checkpointSizes.contains(i + 1)) {
                    w.checkpoint(signer.sign(new Checkpoint(ORIGIN, i + 1, w.root())));
                }
            }
        }
        return signer;
    }
}
