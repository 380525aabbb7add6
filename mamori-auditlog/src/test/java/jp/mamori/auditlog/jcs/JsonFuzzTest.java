package jp.mamori.auditlog.jcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Random and mutated input never escapes as anything but a positioned {@link JsonParseException}. */
class JsonFuzzTest {

    private static final byte[] PIECES = "{}[]\",:\\0e-.".getBytes(StandardCharsets.US_ASCII);

    private static final String SEED_DOC =
            "{\"actor\":{\"id\":\"u-001\",\"role\":\"nurse\"},\"action\":\"read\",\"patient\":\"P-000042\","
                    + "\"at\":\"2026-01-01T09:00:00+09:00\",\"ok\":true,\"n\":[1,2.5,-3e-2,null],\"note\":\"\\u00e9\\n薬\"}";

    @Property(tries = 2000)
    void mutated_events_parse_or_fail_with_a_position(
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int seed) {
        Random r = new Random(seed);
        byte[] doc = SEED_DOC.getBytes(StandardCharsets.UTF_8);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = r.nextInt(doc.length);
            switch (r.nextInt(3)) {
                case 0 -> doc[at] = (byte) r.nextInt(256);
                case 1 -> doc = java.util.Arrays.copyOf(doc, Math.max(1, at));
                default -> {
                    byte[] longer = new byte[doc.length + 1];
                    System.arraycopy(doc, 0, longer, 0, at);
                    longer[at] = PIECES[r.nextInt(PIECES.length)];
                    System.arraycopy(doc, at, longer, at + 1, doc.length - at);
                    doc = longer;
                }
            }
        }
        parseOrPositionedError(doc);
    }

    @Property(tries = 1000)
    void random_bytes_parse_or_fail_with_a_position(@ForAll byte[] input) {
        parseOrPositionedError(input);
    }

    @Test
    void deep_nesting_is_refused_rather_than_overflowing_the_stack() {
        byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        parseOrPositionedError(deep);
    }

    static void parseOrPositionedError(byte[] input) {
        try {
            Object v = Json.parse(input);
            byte[] canonical = Json.canonicalize(v);
            assertThat(Json.canonicalize(canonical)).isEqualTo(canonical);
        } catch (JsonParseException e) {
            assertThat(e.line()).isPositive();
            assertThat(e.column()).isPositive();
            assertThat(e.offset()).isBetween(0L, (long) input.length);
        }
    }
}
