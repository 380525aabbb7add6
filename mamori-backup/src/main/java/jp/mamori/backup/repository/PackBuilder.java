package jp.mamori.backup.repository;

import java.util.ArrayList;
import java.util.List;

/** A pack being filled: sealed blobs appended to one growing buffer, and their entries. */
final class PackBuilder {

    private byte[] buffer;
    private int size;
    private final List<BlobType> types = new ArrayList<>();
    private final List<BlobId> ids = new ArrayList<>();
    private final List<int[]> spans = new ArrayList<>(); // offset, length, raw, compressed

    PackBuilder(int expected) {
        this.buffer = new byte[0];
        this.expected = expected;
    }

    private final int expected;

    void add(BlobType type, BlobId id, byte[] sealed, int raw, boolean compressed) {
        if (buffer.length < size + sealed.length) {
            int want = Math.max(
                    size + sealed.length, Math.min(expected + (expected >> 3), Math.max(1 << 16, buffer.length * 2)));
            buffer = java.util.Arrays.copyOf(buffer, Math.max(want, size + sealed.length));
        }
        System.arraycopy(sealed, 0, buffer, size, sealed.length);
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

    /** The whole pack: the blobs, the sealed header, and the header's length. */
    byte[] finish(byte[] sealedHeader) {
        byte[] out = java.util.Arrays.copyOf(buffer, size + sealedHeader.length + 4);
        System.arraycopy(sealedHeader, 0, out, size, sealedHeader.length);
        int n = sealedHeader.length;
        out[size + n] = (byte) n;
        out[size + n + 1] = (byte) (n >>> 8);
        out[size + n + 2] = (byte) (n >>> 16);
        out[size + n + 3] = (byte) (n >>> 24);
        return out;
    }
}
