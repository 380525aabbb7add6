package jp.mamori.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6962 / RFC 9162 Merkle tree vectors published by the transparency-dev merkle project. */
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

    /**
     * The valid ("happy path") proofs of the transparency-dev merkle project's test data over the
     * leaves above (github.com/transparency-dev/merkle, testdata/, Apache-2.0), as numbers. The
     * invalid cases are made here from them, the way that test data makes its own: each one change.
     */
    record InclusionVector(long index, long size, String leafHash, String root, List<String> proof) {}

    record ConsistencyVector(long size1, long size2, String root1, String root2, List<String> proof) {}

    static final List<InclusionVector> INCLUSION = List.of(
            new InclusionVector(0, 1, ROOTS[1], ROOTS[1], List.of()),
            new InclusionVector(
                    0,
                    8,
                    ROOTS[1],
                    ROOTS[8],
                    List.of(
                            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
            new InclusionVector(
                    5,
                    8,
                    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
                    ROOTS[8],
                    List.of(
                            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
            new InclusionVector(
                    2,
                    3,
                    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
                    ROOTS[3],
                    List.of("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
            new InclusionVector(
                    1,
                    5,
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    ROOTS[5],
                    List.of(
                            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));

    static final List<ConsistencyVector> CONSISTENCY = List.of(
            new ConsistencyVector(1, 1, ROOTS[1], ROOTS[1], List.of()),
            new ConsistencyVector(
                    1,
                    8,
                    ROOTS[1],
                    ROOTS[8],
                    List.of(
                            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
            new ConsistencyVector(
                    6,
                    8,
                    ROOTS[6],
                    ROOTS[8],
                    List.of(
                            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
            new ConsistencyVector(
                    2,
                    5,
                    ROOTS[2],
                    ROOTS[5],
                    List.of(
                            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
            new ConsistencyVector(
                    6,
                    7,
                    ROOTS[6],
                    ROOTS[7],
                    List.of(
                            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

    static List<byte[]> hashes(List<String> hex) {
        return hex.stream().map(HEX::parseHex).toList();
    }

    /** Each proof with one element's bit flipped, one element removed or added, garbage around it. */
    static List<List<byte[]>> mutations(List<byte[]> proof) {
        List<List<byte[]>> out = new ArrayList<>();
        for (int i = 0; i < proof.size(); i++) {
            for (int bit : new int[] {0, 3, 255}) {
                List<byte[]> m = new ArrayList<>(proof);
                byte[] h = m.get(i).clone();
                h[bit / 8] ^= (byte) (1 << (bit % 8));
                m.set(i, h);
                out.add(m);
            }
            List<byte[]> removed = new ArrayList<>(proof);
            removed.remove(i);
            out.add(removed);
        }
        List<byte[]> trailing = new ArrayList<>(proof);
        trailing.add(HEX.parseHex(ROOTS[4]));
        out.add(trailing);
        List<byte[]> preceding = new ArrayList<>();
        preceding.add(HEX.parseHex(ROOTS[4]));
        preceding.addAll(proof);
        out.add(preceding);
        return out;
    }

    @Test
    void accepts_the_published_inclusion_proofs_and_refuses_every_one_change_to_them() {
        for (InclusionVector v : INCLUSION) {
            byte[] leaf = HEX.parseHex(v.leafHash());
            byte[] root = HEX.parseHex(v.root());
            List<byte[]> proof = hashes(v.proof());
            assertThat(catchThrowable(() -> Proofs.verifyInclusion(v.index(), v.size(), leaf, proof, root)))
                    .as("valid %s", v)
                    .doesNotThrowAnyException();
            for (List<byte[]> m : mutations(proof)) {
                assertThat(catchThrowable(() -> Proofs.verifyInclusion(v.index(), v.size(), leaf, m, root)))
                        .as("mutated proof of %s", v)
                        .isInstanceOf(InvalidProofException.class);
            }
            for (long[] iv : new long[][] {
                {v.index() + 1, v.size()},
                {v.index() ^ 2, v.size()},
                {v.index(), v.size() * 2},
                {v.index(), Math.max(1, v.size() / 2)}
            }) {
                if (iv[0] == v.index() && iv[1] == v.size()
                        || iv[0] >= iv[1] && iv[0] == v.index() && iv[1] == v.size()) {
                    continue;
                }
                assertThat(catchThrowable(() -> Proofs.verifyInclusion(iv[0], iv[1], leaf, proof, root)))
                        .as("index %d size %d for %s", iv[0], iv[1], v)
                        .isInstanceOf(InvalidProofException.class);
            }
            assertThat(catchThrowable(
                            () -> Proofs.verifyInclusion(v.index(), v.size(), HEX.parseHex(ROOTS[7]), proof, root)))
                    .as("wrong leaf for %s", v)
                    .isInstanceOf(InvalidProofException.class);
        }
    }

    @Test
    void accepts_the_published_consistency_proofs_and_refuses_every_one_change_to_them() {
        for (ConsistencyVector v : CONSISTENCY) {
            byte[] r1 = HEX.parseHex(v.root1());
            byte[] r2 = HEX.parseHex(v.root2());
            List<byte[]> proof = hashes(v.proof());
            assertThat(catchThrowable(() -> Proofs.verifyConsistency(v.size1(), v.size2(), proof, r1, r2)))
                    .as("valid %s", v)
                    .doesNotThrowAnyException();
            if (v.size1() == v.size2()) {
                continue;
            }
            for (List<byte[]> m : mutations(proof)) {
                assertThat(catchThrowable(() -> Proofs.verifyConsistency(v.size1(), v.size2(), m, r1, r2)))
                        .as(
                                "mutated proof %s of %s",
                                m.stream().map(HEX::formatHex).toList(), v)
                        .isInstanceOf(InvalidProofException.class);
            }
            assertThat(catchThrowable(() -> Proofs.verifyConsistency(v.size1(), v.size2(), proof, r2, r2)))
                    .as("second root for the first, %s", v)
                    .isInstanceOf(InvalidProofException.class);
            assertThat(catchThrowable(() -> Proofs.verifyConsistency(v.size1(), v.size2() * 2, proof, r1, r2)))
                    .as("larger second size, %s", v)
                    .isInstanceOf(InvalidProofException.class);
        }
    }

    @Test
    void generates_the_published_proofs() throws Exception {
        MerkleLog log = vectorLog();
        for (InclusionVector v : INCLUSION) {
            assertThat(log.inclusionProof(v.index(), v.size()))
                    .as("%s", v)
                    .usingElementComparator(java.util.Arrays::compare)
                    .containsExactlyElementsOf(hashes(v.proof()));
        }
        for (ConsistencyVector v : CONSISTENCY) {
            assertThat(log.consistencyProof(v.size1(), v.size2()))
                    .as("%s", v)
                    .usingElementComparator(java.util.Arrays::compare)
                    .containsExactlyElementsOf(hashes(v.proof()));
        }
    }

    @Test
    void refuses_a_proof_for_a_leaf_outside_the_tree() {
        assertThatThrownBy(() -> Proofs.verifyInclusion(8, 8, new byte[32], List.of(), new byte[32]))
                .isInstanceOf(InvalidProofException.class)
                .hasMessageContaining("outside");
    }
}
