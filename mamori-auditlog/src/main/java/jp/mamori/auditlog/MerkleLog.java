package jp.mamori.auditlog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An append-only RFC 9162 Merkle tree whose hashes live in a {@link TileStore}. Appending a batch writes
 * only the tiles it changes; the root, a leaf hash and any proof read O(log n) tiles.
 *
 * <p>The caller keeps the tree size durable (normally beside the signed checkpoint) and passes it back on
 * {@linkplain #MerkleLog(TileStore, long) opening}. Appends must come from one writer at a time; reads
 * of sizes already appended may run concurrently.
 */
public final class MerkleLog {

    private final TileStore store;
    private volatile long size;

    /** Opens the log of {@code size} leaves whose tiles are in {@code store}. */
    public MerkleLog(TileStore store, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("tree size must not be negative: " + size);
        }
        this.store = store;
        this.size = size;
    }

    public long size() {
        return size;
    }

    /** Appends entries (each hashed as a leaf) and returns the index of the first one. */
    public synchronized long append(List<byte[]> leafData) throws IOException {
        List<byte[]> hashes = new ArrayList<>(leafData.size());
        for (byte[] d : leafData) {
            hashes.add(Hashes.leafHash(d));
        }
        return appendLeafHashes(hashes);
    }

    /**
     * Appends leaves given by their leaf hashes and returns the index of the first one. The tiles are
     * written in one {@link TileStore#write} call before the size moves.
     */
    public synchronized long appendLeafHashes(List<byte[]> leafHashes) throws IOException {
        long first = size;
        if (leafHashes.isEmpty()) {
            return first;
        }
        List<Tile> out = new ArrayList<>();
        List<byte[]> entries = leafHashes;
        long countBefore = first;
        for (int level = 0; !entries.isEmpty(); level++) {
            long tileIndex = countBefore >>> Tile.HEIGHT;
            int have = (int) (countBefore & (Tile.WIDTH - 1));
            byte[] buf = new byte[Tile.WIDTH * Hashes.SIZE];
            if (have > 0) {
                byte[] old = store.read(level, tileIndex, have);
                if (old == null) {
                    throw new IOException("tile store lacks tile " + Tile.path(level, tileIndex, have)
                            + " of a tree of size " + first);
                }
                System.arraycopy(old, 0, buf, 0, old.length);
            }
            List<byte[]> up = new ArrayList<>();
            for (byte[] h : entries) {
                if (h.length != Hashes.SIZE) {
                    throw new IllegalArgumentException("a leaf hash is 32 bytes, got " + h.length);
                }
                System.arraycopy(h, 0, buf, have * Hashes.SIZE, Hashes.SIZE);
                have++;
                if (have == Tile.WIDTH) {
                    out.add(new Tile(level, tileIndex, Tile.WIDTH, buf));
                    up.add(perfectRoot(buf, 0, Tile.WIDTH));
                    buf = new byte[Tile.WIDTH * Hashes.SIZE];
                    tileIndex++;
                    have = 0;
                }
            }
            if (have > 0) {
                out.add(new Tile(level, tileIndex, have, java.util.Arrays.copyOf(buf, have * Hashes.SIZE)));
            }
            countBefore >>>= Tile.HEIGHT;
            entries = up;
        }
        store.write(out);
        size = first + leafHashes.size();
        return first;
    }

    /** The Merkle tree head of the whole log. */
    public byte[] root() throws IOException {
        return root(size);
    }

    /** The Merkle tree head of the first {@code treeSize} leaves. */
    public byte[] root(long treeSize) throws IOException {
        checkSize(treeSize);
        if (treeSize == 0) {
            return Hashes.emptyRoot();
        }
        return new Reader(treeSize).rangeHash(0, treeSize);
    }

    /** The leaf hash at {@code index}. */
    public byte[] leafHash(long index) throws IOException {
        long n = size;
        if (index < 0 || index >= n) {
            throw new IllegalArgumentException("leaf index " + index + " is outside a log of size " + n);
        }
        return new Reader(n).subtree(0, index);
    }

    /** RFC 9162 §2.1.3.1 inclusion proof of leaf {@code index} in the tree of {@code treeSize} leaves. */
    public List<byte[]> inclusionProof(long index, long treeSize) throws IOException {
        checkSize(treeSize);
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf index " + index + " is outside a tree of size " + treeSize);
        }
        List<byte[]> proof = new ArrayList<>();
        new Reader(treeSize).path(index, 0, treeSize, proof);
        return proof;
    }

    /** RFC 9162 §2.1.4.1 consistency proof from the tree of {@code size1} leaves to that of {@code size2}. */
    public List<byte[]> consistencyProof(long size1, long size2) throws IOException {
        checkSize(size2);
        if (size1 < 0 || size1 > size2) {
            throw new IllegalArgumentException("no consistency proof from size " + size1 + " to size " + size2);
        }
        List<byte[]> proof = new ArrayList<>();
        if (size1 > 0 && size1 < size2) {
            new Reader(size2).subproof(size1, 0, size2, true, proof);
        }
        return proof;
    }

    private void checkSize(long treeSize) {
        if (treeSize < 0 || treeSize > size) {
            throw new IllegalArgumentException("tree size " + treeSize + " is outside a log of size " + size);
        }
    }

    /** Root of a perfect tree whose leaves (already hashed) are {@code count} consecutive hashes in buf. */
    static byte[] perfectRoot(byte[] buf, int first, int count) {
        byte[][] level = new byte[count][];
        for (int i = 0; i < count; i++) {
            level[i] = java.util.Arrays.copyOfRange(buf, (first + i) * Hashes.SIZE, (first + i + 1) * Hashes.SIZE);
        }
        for (int n = count; n > 1; n >>= 1) {
            for (int i = 0; i < n / 2; i++) {
                level[i] = Hashes.nodeHash(level[2 * i], level[2 * i + 1]);
            }
        }
        return level[0];
    }

    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    /** Reads hashes of one tree size; caches the tiles it has read for the duration of one operation. */
    private final class Reader {
        private final long treeSize;
        private final Map<Long, byte[]> cache = new HashMap<>();

        Reader(long treeSize) {
            this.treeSize = treeSize;
        }

        /** Hash of the complete subtree of 2^height leaves starting at leaf {@code index << height}. */
        byte[] subtree(int height, long index) throws IOException {
            int level = height / Tile.HEIGHT;
            int r = height % Tile.HEIGHT;
            long start = index << r;
            long tileIndex = start >>> Tile.HEIGHT;
            int offset = (int) (start & (Tile.WIDTH - 1));
            int width = Tile.widthAt(level, tileIndex, treeSize);
            long key = ((long) level << 58) | tileIndex;
            byte[] tile = cache.get(key);
            if (tile == null) {
                tile = store.read(level, tileIndex, width);
                if (tile == null) {
                    throw new IOException("tile store lacks tile " + Tile.path(level, tileIndex, width));
                }
                cache.put(key, tile);
            }
            return perfectRoot(tile, offset, 1 << r);
        }

        /** MTH(D[lo:hi]) where lo is a multiple of the largest power of two not above hi - lo. */
        byte[] rangeHash(long lo, long hi) throws IOException {
            long n = hi - lo;
            if (Long.bitCount(n) == 1) {
                int height = Long.numberOfTrailingZeros(n);
                return subtree(height, lo >>> height);
            }
            long k = largestPowerOfTwoBelow(n);
            return Hashes.nodeHash(rangeHash(lo, lo + k), rangeHash(lo + k, hi));
        }

        void path(long m, long lo, long hi, List<byte[]> out) throws IOException {
            if (hi - lo == 1) {
                return;
            }
            long k = largestPowerOfTwoBelow(hi - lo);
            if (m - lo < k) {
                path(m, lo, lo + k, out);
                out.add(rangeHash(lo + k, hi));
            } else {
                path(m, lo + k, hi, out);
                out.add(rangeHash(lo, lo + k));
            }
        }

        void subproof(long m, long lo, long hi, boolean complete, List<byte[]> out) throws IOException {
            long n = hi - lo;
            if (m == n) {
                if (!complete) {
                    out.add(rangeHash(lo, hi));
                }
                return;
            }
            long k = largestPowerOfTwoBelow(n);
            if (m <= k) {
                subproof(m, lo, lo + k, complete, out);
                out.add(rangeHash(lo + k, hi));
            } else {
                subproof(m - k, lo + k, hi, false, out);
                out.add(rangeHash(lo, lo + k));
            }
        }
    }
}
