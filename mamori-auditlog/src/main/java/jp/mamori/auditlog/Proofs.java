package jp.mamori.auditlog;

import java.util.List;

/**
 * Verification of inclusion and consistency proofs, exactly the algorithms of RFC 9162 §2.1.3.2 and
 * §2.1.4.2. Verification needs nothing but the proof, the sizes and the roots.
 */
public final class Proofs {

    private Proofs() {}

    /**
     * Checks that the leaf with hash {@code leafHash} is at {@code index} in the tree of {@code size}
     * leaves whose root is {@code root}.
     */
    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws InvalidProofException {
        byte[] computed = rootFromInclusionProof(index, size, leafHash, proof);
        if (!Hashes.equal(computed, root)) {
            throw new InvalidProofException("inclusion proof for leaf " + index + " in tree of size " + size
                    + " leads to root " + Hashes.toBase64(computed) + ", expected " + Hashes.toBase64(root));
        }
    }

    /** The root that an inclusion proof leads to (RFC 9162 §2.1.3.2 steps 1–5). */
    public static byte[] rootFromInclusionProof(long index, long size, byte[] leafHash, List<byte[]> proof)
            throws InvalidProofException {
        if (index < 0 || size <= 0 || index >= size) {
            throw new InvalidProofException("leaf index " + index + " is outside a tree of size " + size);
        }
        checkHash(leafHash, "leaf hash");
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            checkHash(p, "proof hash");
            if (sn == 0) {
                throw new InvalidProofException("inclusion proof for leaf " + index + " in tree of size " + size
                        + " has too many hashes (" + proof.size() + ")");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = Hashes.nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = Hashes.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new InvalidProofException("inclusion proof for leaf " + index + " in tree of size " + size
                    + " has too few hashes (" + proof.size() + ")");
        }
        return r;
    }

    /**
     * Checks that the tree of {@code size1} leaves with root {@code root1} is a prefix of the tree of
     * {@code size2} leaves with root {@code root2}.
     */
    public static void verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
            throws InvalidProofException {
        checkHash(root1, "first root");
        checkHash(root2, "second root");
        if (size1 < 0 || size2 < size1) {
            throw new InvalidProofException(
                    "no consistency proof exists from size " + size1 + " to the smaller size " + size2);
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new InvalidProofException("a consistency proof between equal sizes must be empty");
            }
            if (!Hashes.equal(root1, root2)) {
                throw new InvalidProofException("two different roots for the same tree size " + size1);
            }
            return;
        }
        if (size1 == 0) {
            if (!proof.isEmpty()) {
                throw new InvalidProofException("a consistency proof from the empty tree must be empty");
            }
            return;
        }
        if (proof.isEmpty()) {
            throw new InvalidProofException("consistency proof from " + size1 + " to " + size2 + " is empty");
        }
        for (byte[] p : proof) {
            checkHash(p, "proof hash");
        }
        int i = 0;
        byte[] first;
        if (Long.bitCount(size1) == 1) {
            first = root1;
        } else {
            first = proof.get(i++);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = first;
        byte[] sr = first;
        for (; i < proof.size(); i++) {
            byte[] c = proof.get(i);
            if (sn == 0) {
                throw new InvalidProofException(
                        "consistency proof from " + size1 + " to " + size2 + " has too many hashes");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = Hashes.nodeHash(c, fr);
                sr = Hashes.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = Hashes.nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new InvalidProofException("consistency proof from " + size1 + " to " + size2 + " has too few hashes");
        }
        if (!Hashes.equal(fr, root1)) {
            throw new InvalidProofException(
                    "consistency proof from " + size1 + " to " + size2 + " does not lead to the first root");
        }
        if (!Hashes.equal(sr, root2)) {
            throw new InvalidProofException(
                    "consistency proof from " + size1 + " to " + size2 + " does not lead to the second root");
        }
    }

    private static void checkHash(byte[] h, String what) throws InvalidProofException {
        if (h == null || h.length != Hashes.SIZE) {
            throw new InvalidProofException(what + " must be 32 bytes");
        }
    }
}
