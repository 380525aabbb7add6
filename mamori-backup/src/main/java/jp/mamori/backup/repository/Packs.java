package jp.mamori.backup.repository;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The pack file layout: sealed blobs one after another, then the sealed header that lists them,
 * then the header's sealed length as a 4-byte little-endian integer. A pack can thus be read, and
 * the index rebuilt, from the pack alone.
 */
public final class Packs {

    /** Bytes per header entry: type, flags, sealed length, raw length, ID. */
    static final int ENTRY = 1 + 1 + 4 + 4 + 32;

    private Packs() {}

    /** The plaintext header for the given blobs, in pack order. */
    static byte[] header(List<BlobEntry> blobs) {
        ByteBuffer bb = ByteBuffer.allocate(1 + 4 + blobs.size() * ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 1).putInt(blobs.size());
        for (BlobEntry e : blobs) {
            bb.put((byte) e.type().code).put((byte) (e.compressed() ? 1 : 0));
            bb.putInt(e.length()).putInt(e.rawLength());
            e.id().write(bb.order(ByteOrder.BIG_ENDIAN));
            bb.order(ByteOrder.LITTLE_ENDIAN);
        }
        return bb.array();
    }

    /**
     * Reads the blob list of a whole pack.
     *
     * @throws Crypto.CorruptObjectException naming the pack if any part of the structure is wrong
     */
    public static List<BlobEntry> readHeader(Crypto crypto, String pack, byte[] content)
            throws Crypto.CorruptObjectException {
        String what = "pack " + pack;
        if (content.length < 4 + Crypto.OVERHEAD) {
            throw new Crypto.CorruptObjectException(what + ": " + content.length + " bytes is too short; truncated?");
        }
        int headerLength = ByteBuffer.wrap(content, content.length - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
        if (headerLength < Crypto.OVERHEAD || headerLength > content.length - 4) {
            throw new Crypto.CorruptObjectException(what + ": header length " + headerLength
                    + " does not fit the pack's " + content.length + " bytes; truncated?");
        }
        int headerStart = content.length - 4 - headerLength;
        byte[] header = crypto.open(content, headerStart, headerLength, what + " header");
        ByteBuffer bb = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        if (header.length < 5 || bb.get() != 1) {
            throw new Crypto.CorruptObjectException(what + ": unknown header version");
        }
        int count = bb.getInt();
        if (count < 0 || header.length != 5 + (long) count * ENTRY) {
            throw new Crypto.CorruptObjectException(what + ": header claims " + count + " blobs");
        }
        List<BlobEntry> out = new ArrayList<>(count);
        int offset = 0;
        for (int i = 0; i < count; i++) {
            BlobType type = BlobType.of(bb.get());
            boolean compressed = (bb.get() & 1) != 0;
            int length = bb.getInt();
            int raw = bb.getInt();
            BlobId id = BlobId.of(header, bb.position());
            bb.position(bb.position() + 32);
            if (length < Crypto.OVERHEAD || offset + (long) length > headerStart) {
                throw new Crypto.CorruptObjectException(what + ": blob " + i + " runs past the data section");
            }
            out.add(new BlobEntry(type, id, pack, offset, length, raw, compressed));
            offset += length;
        }
        if (offset != headerStart) {
            throw new Crypto.CorruptObjectException(
                    what + ": blobs end at " + offset + " but header starts at " + headerStart);
        }
        return out;
    }
}
