package jp.mamori.backup.repository;

import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An index file ({@code index/<sha256>}): for a set of packs, which blobs each holds and where.
 * Plaintext: magic {@code MBIX}, version 1, creation time, the names of index files it supersedes
 * (written by prune), then per pack its name and its blob entries; compressed with zstd, then
 * sealed. Little-endian integers; IDs and pack names as 32 raw bytes.
 *
 * @param supersedes index files whose content this one replaces
 */
public record IndexFile(Instant created, List<String> supersedes, Map<String, List<BlobEntry>> packs) {

    private static final byte[] MAGIC = "MBIX".getBytes(StandardCharsets.US_ASCII);
    private static final int ENTRY = 1 + 1 + 4 + 4 + 4 + 32;

    public byte[] seal(Crypto crypto) {
        int size = 4 + 1 + 8 + 4 + supersedes.size() * 32 + 4;
        for (List<BlobEntry> blobs : packs.values()) {
            size += 32 + 4 + blobs.size() * ENTRY;
        }
        ByteBuffer bb = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).put((byte) 1).putLong(created.getEpochSecond());
        bb.putInt(supersedes.size());
        for (String s : supersedes) {
            bb.put(java.util.HexFormat.of().parseHex(s));
        }
        bb.putInt(packs.size());
        for (Map.Entry<String, List<BlobEntry>> p : packs.entrySet()) {
            bb.put(java.util.HexFormat.of().parseHex(p.getKey()));
            bb.putInt(p.getValue().size());
            for (BlobEntry e : p.getValue()) {
                bb.put((byte) e.type().code).put((byte) (e.compressed() ? 1 : 0));
                bb.putInt(e.offset()).putInt(e.length()).putInt(e.rawLength());
                e.id().write(bb.order(ByteOrder.BIG_ENDIAN));
                bb.order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        byte[] plain = bb.array();
        byte[] compressed = Zstd.compress(plain, 3);
        ByteBuffer framed = ByteBuffer.allocate(4 + compressed.length).order(ByteOrder.LITTLE_ENDIAN);
        framed.putInt(plain.length).put(compressed);
        return crypto.seal(framed.array());
    }

    public static IndexFile open(Crypto crypto, String name, byte[] sealed) throws Crypto.CorruptObjectException {
        String what = "index " + name;
        byte[] framed = crypto.open(sealed, what);
        try {
            ByteBuffer f = ByteBuffer.wrap(framed).order(ByteOrder.LITTLE_ENDIAN);
            int plainLength = f.getInt();
            if (plainLength < 0 || plainLength > 1 << 30) {
                throw new Crypto.CorruptObjectException(what + ": implausible length " + plainLength);
            }
            byte[] plain = Zstd.decompress(java.util.Arrays.copyOfRange(framed, 4, framed.length), plainLength);
            ByteBuffer bb = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[4];
            bb.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC) || bb.get() != 1) {
                throw new Crypto.CorruptObjectException(what + ": not an index file of version 1");
            }
            Instant created = Instant.ofEpochSecond(bb.getLong());
            int n = bb.getInt();
            List<String> supersedes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] id = new byte[32];
                bb.get(id);
                supersedes.add(ObjectNames.hex(id));
            }
            int packCount = bb.getInt();
            Map<String, List<BlobEntry>> packs = new LinkedHashMap<>();
            for (int p = 0; p < packCount; p++) {
                byte[] packId = new byte[32];
                bb.get(packId);
                String pack = ObjectNames.hex(packId);
                int count = bb.getInt();
                List<BlobEntry> blobs = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    BlobType type = BlobType.of(bb.get());
                    boolean compressed = (bb.get() & 1) != 0;
                    int offset = bb.getInt();
                    int length = bb.getInt();
                    int raw = bb.getInt();
                    BlobId id = BlobId.of(plain, bb.position());
                    bb.position(bb.position() + 32);
                    blobs.add(new BlobEntry(type, id, pack, offset, length, raw, compressed));
                }
                packs.put(pack, blobs);
            }
            return new IndexFile(created, supersedes, packs);
        } catch (RuntimeException e) {
            throw new Crypto.CorruptObjectException(what + ": damaged structure (" + e + ")");
        }
    }
}
