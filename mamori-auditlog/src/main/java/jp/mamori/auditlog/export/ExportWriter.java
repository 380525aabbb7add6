package jp.mamori.auditlog.export;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.mamori.auditlog.DirectoryTileStore;
import jp.mamori.auditlog.Hashes;
import jp.mamori.auditlog.MerkleLog;
import jp.mamori.auditlog.checkpoint.Checkpoint;
import jp.mamori.auditlog.checkpoint.NoteFormatException;
import jp.mamori.auditlog.checkpoint.NoteVerifier;
import jp.mamori.auditlog.checkpoint.SignedNote;
import jp.mamori.auditlog.jcs.Json;
import jp.mamori.auditlog.jcs.JsonParseException;

/**
 * Writes an export of a log from its first leaf: events in index order (whole, or expired to their leaf
 * hash), the signed checkpoints, and the verifier key. The hash tiles are rebuilt from the events as they
 * are written, so the export is self-contained.
 */
public final class ExportWriter implements Closeable {

    private static final int BATCH = 4096;

    private final Path dir;
    private final OutputStream events;
    private final MerkleLog tiles;
    private final List<byte[]> pending = new ArrayList<>(BATCH);
    private long next;

    private ExportWriter(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve(ExportLayout.CHECKPOINTS));
        Files.writeString(dir.resolve(ExportLayout.FORMAT), ExportLayout.FORMAT_LINE + "\n");
        this.events = new BufferedOutputStream(Files.newOutputStream(dir.resolve(ExportLayout.EVENTS)), 1 << 16);
        this.tiles = new MerkleLog(new DirectoryTileStore(dir), 0);
    }

    /** Starts an export in {@code dir} (created if needed; it should be empty). */
    public static ExportWriter create(Path dir, NoteVerifier key) throws IOException {
        ExportWriter w = new ExportWriter(dir);
        Files.writeString(dir.resolve(ExportLayout.VERIFIER_KEY), key.format() + "\n");
        return w;
    }

    /** Index the next event gets. */
    public long nextIndex() {
        return next;
    }

    /** Writes the next event; its leaf data is its RFC 8785 canonical form. */
    public void event(byte[] eventJson) throws IOException, JsonParseException {
        Object event = Json.parse(eventJson);
        byte[] canonical = Json.canonicalize(event);
        Map<String, Object> line = new TreeMap<>();
        line.put("index", (double) next);
        line.put("event", event);
        writeLine(Json.canonicalize(line), Hashes.leafHash(canonical));
    }

    /** Writes the next event as expired: its body is gone, its leaf hash stays. */
    public void expiredEvent(byte[] leafHash) throws IOException {
        String line = "{\"index\":" + next + ",\"leafHash\":\"" + Hashes.toBase64(leafHash) + "\"}";
        writeLine(line.getBytes(StandardCharsets.US_ASCII), leafHash.clone());
    }

    private void writeLine(byte[] line, byte[] leafHash) throws IOException {
        if (next >= 1L << 53) {
            throw new IOException("an export holds at most 2^53 events");
        }
        events.write(line);
        events.write('\n');
        pending.add(leafHash);
        next++;
        if (pending.size() == BATCH) {
            flushTiles();
        }
    }

    /**
     * Adds a signed checkpoint of a size already written; refuses one whose root differs from the events
     * written, so that a bad export is caught when it is made rather than by the auditor.
     */
    /**
     * Writes a checkpoint as a store holds it, without comparing it with the events written: for
     * exporting a store that may have been tampered with, where the verifier — not the writer —
     * must find and name what differs.
     */
    public void checkpointAsStored(SignedNote note) throws IOException, NoteFormatException {
        Checkpoint c = Checkpoint.parse(note.text());
        if (c.size() <= next) {
            flushTiles();
        }
        Files.writeString(dir.resolve(ExportLayout.CHECKPOINTS).resolve(Long.toString(c.size())), note.format());
    }

    public void checkpoint(SignedNote note) throws IOException, NoteFormatException {
        Checkpoint c = Checkpoint.parse(note.text());
        if (c.size() > next) {
            throw new IllegalStateException(
                    "checkpoint of size " + c.size() + " is ahead of the " + next + " events written");
        }
        flushTiles(); // leaves the partial tiles of this size, as tlog-tiles asks for checkpointed sizes
        if (!java.util.Arrays.equals(tiles.root(c.size()), c.rootHash())) {
            throw new IllegalStateException("checkpoint of size " + c.size()
                    + " does not match the events written: its root is not the root of events 0 to " + (c.size() - 1));
        }
        Files.writeString(dir.resolve(ExportLayout.CHECKPOINTS).resolve(Long.toString(c.size())), note.format());
    }

    private void flushTiles() throws IOException {
        if (!pending.isEmpty()) {
            tiles.appendLeafHashes(pending);
            pending.clear();
        }
    }

    /** The root of everything written so far, to check against the checkpoint the server signed. */
    public byte[] root() throws IOException {
        flushTiles();
        return tiles.root();
    }

    @Override
    public void close() throws IOException {
        flushTiles();
        events.close();
    }
}
