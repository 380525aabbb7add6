package jp.mamori.auditlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.mamori.auditlog.checkpoint.Checkpoint;
import jp.mamori.auditlog.checkpoint.NoteSigner;
import jp.mamori.auditlog.export.ExportWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @TempDir
    static Path export;

    static String vkey;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false)
                .run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void writeExport() throws Exception {
        NoteSigner signer = NoteSigner.generate("audit.example/log");
        vkey = signer.verifier().format();
        try (ExportWriter w = ExportWriter.create(export, signer.verifier())) {
            for (int i = 0; i < 1000; i++) {
                w.event(("{\"action\":\"read\",\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                if (i + 1 == 300 || i + 1 == 1000) {
                    w.checkpoint(signer.sign(new Checkpoint("audit.example/log", i + 1, w.root())));
                }
            }
        }
    }

    @Test
    void verify_exits_zero_on_an_intact_export() {
        Run r = run("verify", export.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("OK: 1,000 events and 2 signed checkpoints verified");
    }

    @Test
    void verify_exits_one_and_names_the_first_bad_index(@TempDir Path tampered) throws Exception {
        try (var files = Files.walk(export)) {
            for (Path p : files.toList()) {
                Path t = tampered.resolve(export.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        Path events = tampered.resolve("events.ndjson");
        Files.writeString(events, Files.readString(events).replace("\"seq\":512}", "\"seq\":513}"));
        Run r = run("verify", tampered.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("CHANGED at index 512");
    }

    @Test
    void prove_prints_a_tlog_proof_that_check_inclusion_accepts(@TempDir Path tmp) throws Exception {
        Run proof = run("prove", "--index", "123", "--size", "300", export.toString());
        assertThat(proof.exit()).isZero();
        assertThat(proof.out())
                .startsWith("c2sp.org/tlog-proof@v1\nindex 123\n")
                .contains("\naudit.example/log\n300\n");
        Path proofFile = tmp.resolve("p.tlog-proof");
        Files.writeString(proofFile, proof.out());
        Path event = tmp.resolve("event.json");
        Files.writeString(event, "{ \"seq\": 123, \"action\": \"read\" }");
        Run ok = run("check-inclusion", "--key", vkey, "--event", event.toString(), proofFile.toString());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();

        Files.writeString(event, "{ \"seq\": 124, \"action\": \"read\" }");
        Run bad = run("check-inclusion", "--key", vkey, "--event", event.toString(), proofFile.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).startsWith("FAILED");
    }

    @Test
    void consistency_prints_a_proof_that_check_consistency_accepts_only_with_the_right_roots(@TempDir Path tmp)
            throws Exception {
        Run proof = run("consistency", "--from", "300", "--to", "1000", export.toString());
        assertThat(proof.exit()).isZero();
        assertThat(proof.out()).startsWith("mamori.jp/consistency-proof@v1\nold 300 ");
        Path proofFile = tmp.resolve("c.txt");
        Files.writeString(proofFile, proof.out());
        List<String> lines = proof.out().lines().toList();
        String oldRoot = lines.get(1).split(" ")[2];
        String newRoot = lines.get(2).split(" ")[2];
        assertThat(run("check-consistency", "--old-root", oldRoot, "--new-root", newRoot, proofFile.toString())
                        .exit())
                .isZero();
        assertThat(run("check-consistency", "--old-root", newRoot, "--new-root", newRoot, proofFile.toString())
                        .exit())
                .isEqualTo(1);
    }

    @Test
    void wrong_usage_exits_two() {
        assertThat(run().exit()).isEqualTo(2);
        assertThat(run("frobnicate", "x").exit()).isEqualTo(2);
        assertThat(run("prove", export.toString()).exit()).isEqualTo(2);
    }
}
