package jp.mamori.backup.repository;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** A blob's keyed ID: 32 bytes of HMAC-SHA-256, held as four longs so maps of millions stay small. */
public record BlobId(long a, long b, long c, long d) implements Comparable<BlobId> {

    public static BlobId of(byte[] bytes) {
        return of(bytes, 0);
    }

    public static BlobId of(byte[] bytes, int offset) {
        ByteBuffer bb = ByteBuffer.wrap(bytes, offset, 32);
        return new BlobId(bb.getLong(), bb.getLong(), bb.getLong(), bb.getLong());
    }

    public static BlobId parse(String hex) {
        if (hex.length() != 64) {
            throw new IllegalArgumentException("a blob ID is 64 hex characters: " + hex);
        }
        return of(HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return ByteBuffer.allocate(32)
                .putLong(a)
                .putLong(b)
                .putLong(c)
                .putLong(d)
                .array();
    }

    public void write(ByteBuffer out) {
        out.putLong(a).putLong(b).putLong(c).putLong(d);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes());
    }

    public String shortHex() {
        return hex().substring(0, 12);
    }

    @Override
    public int compareTo(BlobId o) {
        int r = Long.compareUnsigned(a, o.a);
        if (r == 0) r = Long.compareUnsigned(b, o.b);
        if (r == 0) r = Long.compareUnsigned(c, o.c);
        if (r == 0) r = Long.compareUnsigned(d, o.d);
        return r;
    }

    @Override
    public String toString() {
        return hex();
    }
}
