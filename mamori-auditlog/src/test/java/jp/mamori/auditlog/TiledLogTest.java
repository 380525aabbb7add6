package jp.mamori.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TiledLogTest {

    static byte[] leaf(long i) {
        return Hashes.leafHash(("event-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void encodes_tile_paths_as_tlog_tiles_specifies() {
        assertThat(Tile.path(0, 1234067, 256)).isEqualTo("tile/0/x001/x234/067");
        assertThat(Tile.path(1, 5, 17)).isEqualTo("tile/1/005.p/17");
        assertThat(Tile.path(2, 0, 1)).isEqualTo("tile/2/000.p/1");
        assertThat(Tile.path(0, 1000, 256)).isEqualTo("tile/0/x001/000");
    }

    @Test
    void splits_a_tree_of_70000_leaves_into_the_tiles_the_spec_lists() {
        assertThat(Tile.widthAt(0, 272, 70_000)).isEqualTo(256);
        assertThat(Tile.widthAt(0, 273, 70_000)).isEqualTo(112);
        assertThat(Tile.widthAt(0, 274, 70_000)).isZero();
        assertThat(Tile.widthAt(1, 0, 70_000)).isEqualTo(256);
        assertThat(Tile.widthAt(1, 1, 70_000)).isEqualTo(17);
        assertThat(Tile.widthAt(2, 0, 70_000)).isEqualTo(1);
        assertThat(Tile.widthAt(1, 0, 256)).isEqualTo(1);
    }

    @Test
    void appending_in_batches_of_any_size_gives_the_same_roots_as_a_streamed_frontier() throws IOException {
        Random random = new Random(7);
        MerkleLog log = new MerkleLog(new InMemoryTileStore(), 0);
        Frontier frontier = new Frontier();
        long n = 0;
        while (n < 70_000) {
            int batch = random.nextInt(random.nextBoolean() ? 5 : 3000) + 1;
            List<byte[]> hashes = new ArrayList<>();
            for (int i = 0; i < batch; i++, n++) {
                hashes.add(leaf(n));
                frontier.append(leaf(n));
            }
            log.appendLeafHashes(hashes);
            assertThat(log.root()).isEqualTo(frontier.root());
        }
        assertThat(log.leafHash(65_537)).isEqualTo(leaf(65_537));
    }

    @Test
    void reads_a_logarithmic_number_of_tiles_for_a_proof_or_a_root() throws IOException {
        InMemoryTileStore backing = new InMemoryTileStore();
        AtomicInteger reads = new AtomicInteger();
        TileStore counting = new TileStore() {
            @Override
            public byte[] read(int level, long index, int width) {
                reads.incrementAndGet();
                return backing.read(level, index, width);
            }

            @Override
            public void write(List<Tile> tiles) {
                backing.write(tiles);
            }
        };
        MerkleLog log = new MerkleLog(counting, 0);
        List<byte[]> hashes = new ArrayList<>();
        for (long i = 0; i < 300_000; i++) {
            hashes.add(leaf(i));
        }
        log.appendLeafHashes(hashes);
        reads.set(0);
        byte[] root = log.root();
        assertThat(reads.get()).isLessThanOrEqualTo(6);
        reads.set(0);
        List<byte[]> proof = log.inclusionProof(123_457, 300_000);
        assertThat(reads.get()).isLessThanOrEqualTo(8);
        reads.set(0);
        log.consistencyProof(100_003, 300_000);
        assertThat(reads.get()).isLessThanOrEqualTo(12);
        assertThat(proof).hasSize(19);
        org.assertj.core.api.Assertions.assertThatCode(
                        () -> Proofs.verifyInclusion(123_457, 300_000, leaf(123_457), proof, root))
                .doesNotThrowAnyException();
    }

    @Test
    void a_log_reopened_from_its_tile_directory_continues_where_it_stopped(@TempDir Path dir) throws Exception {
        MerkleLog first = new MerkleLog(new DirectoryTileStore(dir), 0);
        Frontier frontier = new Frontier();
        List<byte[]> batch = new ArrayList<>();
        for (long i = 0; i < 1000; i++) {
            batch.add(leaf(i));
            frontier.append(leaf(i));
        }
        first.appendLeafHashes(batch);
        byte[] rootAt1000 = first.root();

        MerkleLog reopened = new MerkleLog(new DirectoryTileStore(dir), 1000);
        batch.clear();
        for (long i = 1000; i < 1300; i++) {
            batch.add(leaf(i));
            frontier.append(leaf(i));
        }
        reopened.appendLeafHashes(batch);
        assertThat(reopened.root()).isEqualTo(frontier.root());
        assertThat(reopened.root(1000)).isEqualTo(rootAt1000);
        assertThat(Files.exists(dir.resolve("tile/0/005.p/20"))).isTrue();
        assertThat(Files.exists(dir.resolve("tile/0/004"))).isTrue();
        assertThat(Files.exists(dir.resolve("tile/1/000.p/5"))).isTrue();
        Proofs.verifyConsistency(1000, 1300, reopened.consistencyProof(1000, 1300), rootAt1000, reopened.root());
    }
}
