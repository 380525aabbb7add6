package jp.mamori.auditlog;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Proofs verify on random trees and fail when any hash, index or size is altered. */
class ProofPropertiesTest {

    private static final int MAX = 1100;
    private static final MerkleLog LOG;
    private static final byte[][] ROOTS = new byte[MAX + 1][];

    static {
        try {
            LOG = new MerkleLog(new InMemoryTileStore(), 0);
            Frontier f = new Frontier();
            ROOTS[0] = f.root();
            for (int i = 0; i < MAX; i++) {
                byte[] h = TiledLogTest.leaf(i);
                LOG.appendLeafHashes(List.of(h));
                f.append(h);
                ROOTS[i + 1] = f.root();
            }
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    record Case(long index, long size, int alter) {}

    @Provide
    Arbitrary<Case> inclusionCases() {
        return Arbitraries.integers().between(1, MAX).flatMap(size -> Combinators.combine(
                        Arbitraries.integers().between(0, size - 1),
                        Arbitraries.integers().between(0, 1 << 20))
                .as((index, alter) -> new Case(index, size, alter)));
    }

    @Provide
    Arbitrary<Case> consistencyCases() {
        return Arbitraries.integers().between(1, MAX).flatMap(size2 -> Combinators.combine(
                        Arbitraries.integers().between(1, size2),
                        Arbitraries.integers().between(0, 1 << 20))
                .as((size1, alter) -> new Case(size1, size2, alter)));
    }

    @Property(tries = 300)
    void an_inclusion_proof_verifies_against_the_root(@ForAll("inclusionCases") Case c) throws IOException {
        List<byte[]> proof = LOG.inclusionProof(c.index(), c.size());
        assertThatCode(() -> Proofs.verifyInclusion(
                        c.index(), c.size(), TiledLogTest.leaf(c.index()), proof, ROOTS[(int) c.size()]))
                .doesNotThrowAnyException();
    }

    @Property(tries = 300)
    void an_inclusion_proof_fails_when_a_proof_hash_is_altered(@ForAll("inclusionCases") Case c) throws IOException {
        List<byte[]> proof = new ArrayList<>(LOG.inclusionProof(c.index(), c.size()));
        byte[] leaf = TiledLogTest.leaf(c.index());
        if (proof.isEmpty()) {
            leaf = flip(leaf, c.alter());
        } else {
            int which = c.alter() % proof.size();
            proof.set(which, flip(proof.get(which), c.alter() / proof.size()));
        }
        byte[] l = leaf;
        assertThatThrownBy(() -> Proofs.verifyInclusion(c.index(), c.size(), l, proof, ROOTS[(int) c.size()]))
                .isInstanceOf(InvalidProofException.class);
    }

    @Property(tries = 300)
    void an_inclusion_proof_fails_for_another_index_or_size(@ForAll("inclusionCases") Case c) throws IOException {
        List<byte[]> proof = LOG.inclusionProof(c.index(), c.size());
        byte[] leaf = TiledLogTest.leaf(c.index());
        long otherIndex = (c.index() + 1 + c.alter() % c.size()) % c.size();
        if (otherIndex != c.index()) {
            assertThatThrownBy(() -> Proofs.verifyInclusion(otherIndex, c.size(), leaf, proof, ROOTS[(int) c.size()]))
                    .isInstanceOf(InvalidProofException.class);
        }
        long otherSize = c.size() + 1 + c.alter() % 50;
        if (otherSize <= MAX) {
            assertThatThrownBy(() -> Proofs.verifyInclusion(c.index(), otherSize, leaf, proof, ROOTS[(int) otherSize]))
                    .isInstanceOf(InvalidProofException.class);
        }
    }

    @Property(tries = 300)
    void a_consistency_proof_verifies_between_the_two_roots(@ForAll("consistencyCases") Case c) throws IOException {
        List<byte[]> proof = LOG.consistencyProof(c.index(), c.size());
        assertThatCode(() -> Proofs.verifyConsistency(
                        c.index(), c.size(), proof, ROOTS[(int) c.index()], ROOTS[(int) c.size()]))
                .doesNotThrowAnyException();
    }

    @Property(tries = 300)
    void a_consistency_proof_fails_when_a_hash_or_root_is_altered(@ForAll("consistencyCases") Case c)
            throws IOException {
        List<byte[]> proof = new ArrayList<>(LOG.consistencyProof(c.index(), c.size()));
        byte[] root1 = ROOTS[(int) c.index()];
        byte[] root2 = ROOTS[(int) c.size()];
        int slot = c.alter() % (proof.size() + 2);
        if (slot < proof.size()) {
            proof.set(slot, flip(proof.get(slot), c.alter()));
        } else if (slot == proof.size()) {
            root1 = flip(root1, c.alter());
        } else {
            root2 = flip(root2, c.alter());
        }
        byte[] r1 = root1;
        byte[] r2 = root2;
        assertThatThrownBy(() -> Proofs.verifyConsistency(c.index(), c.size(), proof, r1, r2))
                .isInstanceOf(InvalidProofException.class);
    }

    @Property(tries = 200)
    void a_consistency_proof_fails_for_other_sizes(@ForAll("consistencyCases") Case c) throws IOException {
        List<byte[]> proof = LOG.consistencyProof(c.index(), c.size());
        long size1 = c.index() + 1;
        if (size1 < c.size()) {
            assertThatThrownBy(() ->
                            Proofs.verifyConsistency(size1, c.size(), proof, ROOTS[(int) size1], ROOTS[(int) c.size()]))
                    .isInstanceOf(InvalidProofException.class);
        }
    }

    static byte[] flip(byte[] hash, int seed) {
        byte[] copy = hash.clone();
        int bit = Math.floorMod(seed, copy.length * 8);
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }
}
