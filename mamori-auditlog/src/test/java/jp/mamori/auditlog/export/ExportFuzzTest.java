package jp.mamori.auditlog.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Random byte damage to an export is reported as a problem at or before the damaged event, never thrown. */
class ExportFuzzTest {

    private static Path original;
    private static byte[] events;

    @BeforeContainer
    static void writeExport() throws Exception {
        original = Files.createTempDirectory("export-fuzz");
        SyntheticExport.write(original, 300, List.of(100L, 257L, 300L), List.of(5L));
        events = Files.readAllBytes(original.resolve("events.ndjson"));
    }

    @AfterContainer
    static void removeExport() throws Exception {
        try (var s = Files.walk(original)) {
            s.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 60)
    void damaged_events_are_reported_at_or_before_the_damage(
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int seed) throws Exception {
        Random r = new Random(seed);
        byte[] damaged = events.clone();
        int at = r.nextInt(damaged.length);
        String alphabet = "{}[]\":,0123456789abcxyz\n -";
        byte replacement = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
        if (damaged[at] == replacement) {
            return;
        }
        damaged[at] = replacement;
        long damagedLine = countNewlines(events, at);
        Files.write(original.resolve("events.ndjson"), damaged);
        try {
            VerificationResult result = ExportVerifier.verify(original);
            if (result.ok()) {
                // only a change that leaves the canonical events as they were may pass, e.g. a space between tokens
                assertThat(replacement).isIn((byte) ' ', (byte) '\n');
            } else {
                assertThat(result.problem().orElseThrow().index()).isLessThanOrEqualTo(Math.max(damagedLine, 100));
            }
        } finally {
            Files.write(original.resolve("events.ndjson"), events);
        }
    }

    private static long countNewlines(byte[] b, int upTo) {
        long n = 0;
        for (int i = 0; i < upTo; i++) {
            if (b[i] == '\n') {
                n++;
            }
        }
        return n;
    }
}
