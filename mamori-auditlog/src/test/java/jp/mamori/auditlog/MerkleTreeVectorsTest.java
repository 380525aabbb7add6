package jp.mamori.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jp.mamori.auditlog.jcs.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Published RFC 6962 / RFC 9162 vectors of the transparency-dev merkle project. */
class MerkleTreeVectorsTest {

    static final String[] LEAVES = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"
    };

    static final String[] ROOTS = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };

    static final HexFormat HEX = HexFormat.of();

    static MerkleLog vectorLog() throws IOException {
        MerkleLog log = new MerkleLog(new InMemoryTileStore(), 0);
        List<byte[]> data = new ArrayList<>();
        for (String l : LEAVES) {
            data.add(HEX.parseHex(l));
        }
        log.append(data);
        return log;
    }

    @Test
    void computes_the_published_root_for_every_tree_size() throws IOException {
        MerkleLog log = vectorLog();
        Frontier frontier = new Frontier();
        assertThat(HEX.formatHex(frontier.root())).isEqualTo(ROOTS[0]);
        for (int size = 0; size <= LEAVES.length; size++) {
            assertThat(HEX.formatHex(log.root(size)))
                    .as("root of size %d", size)
                    .isEqualTo(ROOTS[size]);
            if (size > 0) {
                frontier.append(Hashes.leafHash(HEX.parseHex(LEAVES[size - 1])));
                assertThat(HEX.formatHex(frontier.root())).isEqualTo(ROOTS[size]);
            }
        }
    }

    @Test
    void hashes_leaves_and_nodes_with_their_domain_prefixes() {
        assertThat(HEX.formatHex(Hashes.leafHash(new byte[0])))
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
        assertThat(HEX.formatHex(Hashes.nodeHash(Hashes.leafHash(new byte[0]), Hashes.leafHash(new byte[] {0}))))
                .isEqualTo(ROOTS[2]);
    }

    record Vector(String file, Map<String, Object> json) {
        boolean wantErr() {
            return Boolean.TRUE.equals(json.get("wantErr"));
        }

        long number(String key) {
            return ((Double) json.get(key)).longValue();
        }

        byte[] hash(String key) {
            Object v = json.get(key);
            return v == Json.NULL ? new byte[0] : java.util.Base64.getDecoder().decode((String) v);
        }

        List<byte[]> proof() {
            List<byte[]> out = new ArrayList<>();
            if (json.get("proof") instanceof List<?> l) {
                for (Object o : l) {
                    out.add(java.util.Base64.getDecoder().decode((String) o));
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return file;
        }
    }

    @SuppressWarnings("unchecked")
    static Stream<Vector> vectors(String kind) throws IOException, URISyntaxException {
        Path root = Path.of(
                MerkleTreeVectorsTest.class.getResource("/vectors/" + kind).toURI());
        List<Vector> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try {
                    out.add(new Vector(
                            root.relativize(f).toString(), (Map<String, Object>) Json.parse(Files.readAllBytes(f))));
                } catch (jp.mamori.auditlog.jcs.JsonParseException e) {
                    throw new AssertionError(f + ": " + e.getMessage(), e);
                }
            }
        }
        assertThat(out).hasSizeGreaterThan(20);
        return out.stream();
    }

    static Stream<Vector> inclusionVectors() throws Exception {
        return vectors("inclusion");
    }

    static Stream<Vector> consistencyVectors() throws Exception {
        return vectors("consistency");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inclusionVectors")
    void accepts_exactly_the_valid_published_inclusion_proofs(Vector v) {
        Throwable t = catchThrowable(() -> Proofs.verifyInclusion(
                v.number("leafIdx"), v.number("treeSize"), v.hash("leafHash"), v.proof(), v.hash("root")));
        if (v.wantErr()) {
            assertThat(t).isInstanceOf(InvalidProofException.class);
        } else {
            assertThat(t).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("consistencyVectors")
    void accepts_exactly_the_valid_published_consistency_proofs(Vector v) {
        Throwable t = catchThrowable(() -> Proofs.verifyConsistency(
                v.number("size1"), v.number("size2"), v.proof(), v.hash("root1"), v.hash("root2")));
        // Stricter than the vectors: a root that is not a 32-byte SHA-256 hash is refused even where the
        // vectors "don't care" about it.
        boolean malformedRoot = v.hash("root1").length != 32 || v.hash("root2").length != 32;
        if (v.wantErr() || malformedRoot) {
            assertThat(t).isInstanceOf(InvalidProofException.class);
        } else {
            assertThat(t).doesNotThrowAnyException();
        }
    }

    @Test
    void generates_the_published_proofs() throws Exception {
        MerkleLog log = vectorLog();
        List<Vector> happy = Stream.concat(inclusionVectors(), consistencyVectors())
                .filter(v -> v.file().endsWith("happy-path.json"))
                .filter(v -> v.number(v.json().containsKey("treeSize") ? "treeSize" : "size2") <= LEAVES.length)
                .toList();
        assertThat(happy).isNotEmpty();
        for (Vector v : happy) {
            List<byte[]> generated = v.json().containsKey("leafIdx")
                    ? log.inclusionProof(v.number("leafIdx"), v.number("treeSize"))
                    : log.consistencyProof(v.number("size1"), v.number("size2"));
            assertThat(generated)
                    .as(v.file())
                    .usingElementComparator(java.util.Arrays::compare)
                    .containsExactlyElementsOf(v.proof());
        }
    }

    @Test
    void refuses_a_proof_for_a_leaf_outside_the_tree() {
        assertThatThrownBy(() -> Proofs.verifyInclusion(8, 8, new byte[32], List.of(), new byte[32]))
                .isInstanceOf(InvalidProofException.class)
                .hasMessageContaining("outside");
    }
}
