package jp.mamori.auditlog;

/**
 * The right edge of a Merkle tree: the roots of its maximal complete subtrees, one per set bit of the
 * size. Appending a leaf and computing the root of everything appended so far need O(log n) memory, so
 * a verifier can stream any number of leaves.
 */
public final class Frontier {

    private final byte[][] stack = new byte[64][];
    private int depth;
    private long size;

    /** Adds the next leaf, given by its leaf hash. */
    public void append(byte[] leafHash) {
        byte[] h = leafHash;
        long s = size;
        while ((s & 1) == 1) {
            h = Hashes.nodeHash(stack[--depth], h);
            s >>>= 1;
        }
        stack[depth++] = h;
        size++;
    }

    /** Number of leaves appended. */
    public long size() {
        return size;
    }

    /** RFC 9162 Merkle tree head of the leaves appended so far. */
    public byte[] root() {
        if (depth == 0) {
            return Hashes.emptyRoot();
        }
        byte[] r = stack[depth - 1];
        for (int i = depth - 2; i >= 0; i--) {
            r = Hashes.nodeHash(stack[i], r);
        }
        return r;
    }
}
