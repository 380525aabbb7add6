package jp.mamori.auditlog.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jp.mamori.auditlog.export.Problem.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier detects every kind of tampering and names the first bad index. */
class ExportVerificationTest {

    static final long SIZE = 2000;
    static final List<Long> CHECKPOINTS = List.of(1L, 255L, 256L, 700L, 1024L, 1999L, 2000L);

    @TempDir
    static Path original;

    @TempDir
    Path work;

    @BeforeAll
    static void writeExport() throws Exception {
        SyntheticExport.write(original, SIZE, CHECKPOINTS, List.of(3L, 512L, 513L, 1500L));
    }

    private int copies;

    Path copy() throws IOException {
        Path into = work.resolve("copy-" + copies++);
        try (var files = Files.walk(original)) {
            for (Path p : files.toList()) {
                Path target = into.resolve(original.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return into;
    }

    static List<String> lines(Path dir) throws IOException {
        return new ArrayList<>(Files.readAllLines(dir.resolve("events.ndjson"), StandardCharsets.UTF_8));
    }

    static void write(Path dir, List<String> lines) throws IOException {
        Files.write(dir.resolve("events.ndjson"), lines, StandardCharsets.UTF_8);
    }

    static Problem problemOf(Path dir) {
        VerificationResult r = ExportVerifier.verify(dir);
        assertThat(r.ok()).as("verification must fail").isFalse();
        return r.problem().orElseThrow();
    }

    @Test
    void an_untouched_export_with_expired_events_verifies() {
        VerificationResult r = ExportVerifier.verify(original);
        assertThat(r.problem()).isEmpty();
        assertThat(r.events()).isEqualTo(SIZE);
        assertThat(r.checkpoints()).isEqualTo(CHECKPOINTS.size());
    }

    @Test
    void names_the_first_changed_event() throws IOException {
        Random random = new Random(1);
        for (int round = 0; round < 5; round++) {
            Path dir = copy();
            List<String> lines = lines(dir);
            int a = random.nextInt((int) SIZE);
            int b = random.nextInt((int) SIZE);
            for (int i : new int[] {a, b}) {
                if (!lines.get(i).contains("leafHash")) {
                    lines.set(i, lines.get(i).replace("\"actor\":\"staff-", "\"actor\":\"staff-X"));
                }
            }
            write(dir, lines);
            int first = firstNonExpired(lines, Math.min(a, b), Math.max(a, b));
            if (first < 0) {
                continue;
            }
            Problem p = problemOf(dir);
            assertThat(p.kind()).isEqualTo(Kind.CHANGED);
            assertThat(p.index()).isEqualTo(first);
            assertThat(p.message()).contains("event " + first);
        }
    }

    private static int firstNonExpired(List<String> lines, int a, int b) {
        if (lines.get(a).contains("staff-X")) {
            return a;
        }
        return lines.get(b).contains("staff-X") ? b : -1;
    }

    @Test
    void names_an_expired_event_whose_leaf_hash_was_changed() throws IOException {
        Path dir = copy();
        List<String> lines = lines(dir);
        assertThat(lines.get(512)).contains("\"leafHash\"");
        lines.set(512, "{\"index\":512,\"leafHash\":\"" + "A".repeat(43) + "=\"}");
        write(dir, lines);
        Problem p = problemOf(dir);
        assertThat(p.kind()).isEqualTo(Kind.CHANGED);
        assertThat(p.index()).isEqualTo(512);
    }

    @Test
    void reports_damaged_higher_tiles_without_blaming_the_events() throws IOException {
        Path dir = copy();
        Path tile = dir.resolve("tile/1/000.p/7");
        byte[] hashes = Files.readAllBytes(tile);
        hashes[40] ^= 1;
        Files.write(tile, hashes);
        Problem p = problemOf(dir);
        assertThat(p.kind()).isEqualTo(Kind.DAMAGED_TILES);
    }

    @Test
    void the_writer_refuses_a_checkpoint_that_does_not_match_the_events(@TempDir Path dir) throws Exception {
        jp.mamori.auditlog.checkpoint.NoteSigner signer =
                jp.mamori.auditlog.checkpoint.NoteSigner.generate(SyntheticExport.ORIGIN);
        try (ExportWriter w = ExportWriter.create(dir, signer.verifier())) {
            w.event(SyntheticExport.event(0).getBytes(StandardCharsets.UTF_8));
            var wrong =
                    signer.sign(new jp.mamori.auditlog.checkpoint.Checkpoint(SyntheticExport.ORIGIN, 1, new byte[32]));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.checkpoint(wrong))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not match the events written");
        }
    }

    @Test
    void names_a_deleted_event_as_missing() throws IOException {
        Path dir = copy();
        List<String> lines = lines(dir);
        lines.remove(777);
        write(dir, lines);
        Problem p = problemOf(dir);
        assertThat(p.kind()).isEqualTo(Kind.MISSING);
        assertThat(p.index()).isEqualTo(777);
    }

    @Test
    void names_a_deleted_event_even_when_the_later_indexes_were_renumbered() throws IOException {
        Path dir = copy();
        List<String> lines = lines(dir);
        lines.remove(900);
        for (int i = 900; i < lines.size(); i++) {
            lines.set(i, lines.get(i).replace("\"index\":" + (i + 1) + ",", "\"index\":" + i + ","));
            lines.set(i, lines.get(i).replace("\"index\":" + (i + 1) + "}", "\"index\":" + i + "}"));
        }
        write(dir, lines);
        Problem p = problemOf(dir);
        assertThat(p.kind()).isEqualTo(Kind.MISSING);
        assertThat(p.index()).isEqualTo(900);
    }

    @Test
    void names_an_inserted_event() throws IOException {
        Path dir = copy();
        List<String> lines = lines(dir);
        lines.add(1200, "{\"event\":" + SyntheticExport.event(99_999) + ",\"index\":1200}");
        write(dir, lines);
        Problem p = problemOf(dir);
        assertThat(p.kind()).isEqualTo(Kind.INSERTED);
        assertThat(p.index()).isEqualTo(1200);
    }

    @Test
    void names_two_swapped_events_as_reordered() throws IOException {
        Path dir = copy();
        List<String> lines = lines(dir);
        String a = lines.get(300);
        lines.set(300, lines.get(1100));
        lines.set(1100, a);
        write(dir, lines);
        Problem p = problemOf(dir);
        assertThat(p.kind()).isEqualTo(Kind.REORDERED);
        assertThat(p.index()).isEqualTo(300);
    }

    @Test
    void names_a_truncated_export() throws IOException {
        Path dir = copy();
        List<String> lines = lines(dir);
        write(dir, lines.subList(0, 1800));
        Problem p = problemOf(dir);
        assertThat(p.kind()).isEqualTo(Kind.MISSING);
        assertThat(p.index()).isEqualTo(1800);
    }

    @Test
    void refuses_an_altered_checkpoint() throws IOException {
        Path dir = copy();
        Path cp = dir.resolve("checkpoints/1024");
        Files.writeString(cp, Files.readString(cp).replace("\n1024\n", "\n1023\n"));
        Problem p = problemOf(dir);
        assertThat(p.kind()).isEqualTo(Kind.BAD_SIGNATURE);
        assertThat(p.index()).isEqualTo(1024);
        assertThat(p.message()).contains("checkpoints/1024");
    }

    @Test
    void names_the_range_when_events_and_hash_tiles_were_changed_together() throws Exception {
        Path dir = copy();
        List<String> lines = lines(dir);
        lines.set(800, lines.get(800).replace("\"outcome\":0", "\"outcome\":1"));
        write(dir, lines);
        // rewrite the level-0 tile that holds index 800 to match the changed event
        Path tile = dir.resolve("tile/0/003");
        byte[] hashes = Files.readAllBytes(tile);
        String event =
                lines.get(800).substring("{\"event\":".length(), lines.get(800).lastIndexOf(",\"index\""));
        byte[] h = jp.mamori.auditlog.Hashes.leafHash(
                jp.mamori.auditlog.jcs.Json.canonicalize(event.getBytes(StandardCharsets.UTF_8)));
        System.arraycopy(h, 0, hashes, (800 - 768) * 32, 32);
        Files.write(tile, hashes);
        Problem p = problemOf(dir);
        assertThat(p.kind()).isEqualTo(Kind.ROOT_MISMATCH);
        assertThat(p.index()).isEqualTo(700);
        assertThat(p.message()).contains("between index 700 and 1023");
    }

    @Test
    void random_tamperings_are_all_detected_at_the_right_index() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 12; round++) {
            Path dir = copy();
            List<String> lines = lines(dir);
            int i = 10 + random.nextInt((int) SIZE - 20);
            long expected;
            Kind kind;
            switch (round % 4) {
                case 0 -> {
                    if (lines.get(i).contains("leafHash")) {
                        i++;
                    }
                    lines.set(i, lines.get(i).replace("\"read\"", "\"ReAD\"").replace("\"update\"", "\"delete\""));
                    expected = i;
                    kind = Kind.CHANGED;
                }
                case 1 -> {
                    lines.remove(i);
                    expected = i;
                    kind = Kind.MISSING;
                }
                case 2 -> {
                    lines.add(i, "{\"event\":{\"action\":\"read\"},\"index\":" + i + "}");
                    expected = i;
                    kind = Kind.INSERTED;
                }
                default -> {
                    int j = i + 1 + random.nextInt(5);
                    String a = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, a);
                    expected = i;
                    kind = Kind.REORDERED;
                }
            }
            write(dir, lines);
            Problem p = problemOf(dir);
            assertThat(p.kind()).as("round %d: %s", round, p).isEqualTo(kind);
            assertThat(p.index()).as("round %d: %s", round, p).isEqualTo(expected);
        }
    }

    @Test
    void rejects_an_event_line_that_is_not_json_and_names_its_index() throws IOException {
        Path dir = copy();
        List<String> lines = lines(dir);
        lines.set(42, lines.get(42).substring(0, 30));
        write(dir, lines);
        Problem p = problemOf(dir);
        assertThat(p.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(p.index()).isEqualTo(42);
        assertThat(p.message()).contains("line 43").contains("column");
    }
}
