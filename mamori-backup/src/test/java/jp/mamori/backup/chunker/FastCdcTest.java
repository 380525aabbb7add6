package jp.mamori.backup.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FastCdcTest {

    private static final byte[] SEED = new byte[32];
    private final FastCdc cdc = new FastCdc(2048, 8192, 32768, SEED);

    private List<Integer> cuts(FastCdc c, byte[] data) {
        List<Integer> out = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            int n = c.cut(data, pos, data.length - pos);
            out.add(n);
            pos += n;
        }
        return out;
    }

    @Property(tries = 50)
    void chunks_cover_the_input_and_respect_min_and_max(@ForAll long seed, @ForAll @IntRange(max = 300_000) int size) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        List<Integer> sizes = cuts(cdc, data);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(size);
        for (int i = 0; i < sizes.size(); i++) {
            assertThat(sizes.get(i)).isLessThanOrEqualTo(32768);
            if (i < sizes.size() - 1) {
                assertThat(sizes.get(i)).isGreaterThanOrEqualTo(2048);
            }
        }
    }

    @Property(tries = 30)
    void an_insertion_changes_only_the_chunks_around_it(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int inserted) {
        Random r = new Random(seed);
        byte[] data = new byte[400_000];
        r.nextBytes(data);
        int at = 100_000 + r.nextInt(100_000);
        byte[] changed = new byte[data.length + inserted];
        System.arraycopy(data, 0, changed, 0, at);
        r.nextBytes(java.util.Arrays.copyOfRange(changed, at, at + inserted));
        System.arraycopy(data, at, changed, at + inserted, data.length - at);
        List<Integer> a = cuts(cdc, data);
        List<Integer> b = cuts(cdc, changed);
        // The cuts after the edit realign within a few maximum-size chunks: the common tail covers all but those.
        int common = 0;
        long tailBytes = 0;
        while (common < Math.min(a.size(), b.size())
                && a.get(a.size() - 1 - common).equals(b.get(b.size() - 1 - common))) {
            tailBytes += a.get(a.size() - 1 - common);
            common++;
        }
        assertThat(tailBytes).isGreaterThanOrEqualTo((long) (data.length - at) - 6 * 32768);
    }

    @Test
    void average_chunk_size_is_near_the_target() {
        byte[] data = new byte[8 << 20];
        new Random(7).nextBytes(data);
        List<Integer> sizes = cuts(cdc, data);
        double avg = (double) data.length / sizes.size();
        assertThat(avg).isBetween(6000.0, 14000.0);
    }

    @Test
    void a_different_seed_cuts_elsewhere() {
        byte[] data = new byte[1 << 20];
        new Random(8).nextBytes(data);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThat(cuts(new FastCdc(2048, 8192, 32768, other), data)).isNotEqualTo(cuts(cdc, data));
    }

    @Test
    void refuses_inconsistent_sizes() {
        assertThatThrownBy(() -> new FastCdc(4096, 3000, 8192, SEED)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new FastCdc(9000, 8192, 32768, SEED)).hasMessageContaining("min <= avg");
    }
}
