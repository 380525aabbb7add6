package jp.mamori.backup.repository;

import java.util.ArrayList;
import java.util.List;

/**
 * A pack being filled: the sealed blobs as they come, laid out into one array only when the pack
 * is finished — so a pack costs its size once, not a growing buffer's copies.
 */
final class PackBuilder {

    private final List<byte[]> blobs = new ArrayList<>();
    private final List<BlobType> types = new ArrayList<>();
    private final List<BlobId> ids = new ArrayList<>();
    private final List<int[]> spans = new ArrayList<>(); // offset, length, raw, compressed
    private int size;

    void add(BlobType type, BlobId id, byte[] sealed, int raw, boolean compressed) {
        blobs.add(sealed);
        types.add(type);
        ids.add(id);
        spans.add(new int[] {size, sealed.length, raw, compressed ? 1 : 0});
        size += sealed.length;
    }

    int size() {
        return size;
    }

    int count() {
        return ids.size();
    }

    List<BlobEntry> entries(String pack) {
        List<BlobEntry> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            int[] s = spans.get(i);
            out.add(new BlobEntry(types.get(i), ids.get(i), pack, s[0], s[1], s[2], s[3] == 1));
        }
        return out;
    }

    /** The whole pack: the blobs, the sealed header, and the header's length (4 bytes, little-endian). */
    byte[] finish(byte[] sealedHeader) {
        byte[] out = new byte[size + sealedHeader.length + 4];
        int at = 0;
        for (byte[] b : blobs) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        blobs.clear();
        System.arraycopy(sealedHeader, 0, out, size, sealedHeader.length);
        int n = sealedHeader.length;
        out[size + n] = (byte) n;
        out[size + n + 1] = (byte) (n >>> 8);
        out[size + n + 2] = (byte) (n >>> 16);
        out[size + n + 3] = (byte) (n >>> 24);
        return out;
    }
}
