package jp.mamori.auditlog.export;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jp.mamori.auditlog.DirectoryTileStore;
import jp.mamori.auditlog.Frontier;
import jp.mamori.auditlog.Hashes;
import jp.mamori.auditlog.InvalidProofException;
import jp.mamori.auditlog.MerkleLog;
import jp.mamori.auditlog.Proofs;
import jp.mamori.auditlog.Tile;
import jp.mamori.auditlog.TileStore;
import jp.mamori.auditlog.checkpoint.Checkpoint;
import jp.mamori.auditlog.checkpoint.NoteFormatException;
import jp.mamori.auditlog.checkpoint.NoteVerifier;
import jp.mamori.auditlog.export.Problem.Kind;
import jp.mamori.auditlog.jcs.Json;
import jp.mamori.auditlog.jcs.JsonParseException;

/**
 * Verifies an export offline. Every event is canonicalized and hashed again, the tree is recomputed in
 * one streaming pass with a {@link Frontier}, every checkpoint signature is checked with the export's key,
 * every checkpoint root is compared with the recomputed root at its size, and successive checkpoints are
 * checked for consistency with RFC 9162 consistency proofs. The hash tiles of the export serve to name
 * the first bad index exactly; they are never trusted on their own.
 */
public final class ExportVerifier {

    /** Receives progress while the events stream by. */
    @FunctionalInterface
    public interface Progress {
        void update(long eventsRead, long eventsExpected);
    }

    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Problem problem;

        Failure(Kind kind, long index, String message) {
            super(message, null, false, false);
            this.problem = new Problem(kind, index, message);
        }
    }

    /** One line of events.ndjson: its index field and the leaf hash of its event. */
    private record Leaf(long index, byte[] hash, boolean expired) {}

    private final Path dir;
    private final Progress progress;
    private final TileStore store;
    private long total;
    private long cachedTileIndex = -1;
    private byte[] cachedTile;
    private boolean tilesUsable = true;

    private ExportVerifier(Path dir, Progress progress) {
        this.dir = dir;
        this.progress = progress;
        this.store = new DirectoryTileStore(dir);
    }

    public static VerificationResult verify(Path exportDir) {
        return verify(exportDir, (a, b) -> {});
    }

    public static VerificationResult verify(Path exportDir, Progress progress) {
        return new ExportVerifier(exportDir, progress).run();
    }

    /** Reads the export's verifier key. */
    public static NoteVerifier readKey(Path exportDir) throws IOException, NoteFormatException {
        return NoteVerifier.parse(Files.readString(exportDir.resolve(ExportLayout.VERIFIER_KEY)));
    }

    /**
     * Reads every checkpoint of the export, checking each signature; keyed by tree size.
     *
     * @throws NoteFormatException naming the file of the first checkpoint that fails
     */
    public static TreeMap<Long, Checkpoint> readCheckpoints(Path exportDir, NoteVerifier key)
            throws IOException, NoteFormatException {
        TreeMap<Long, Checkpoint> out = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(exportDir.resolve(ExportLayout.CHECKPOINTS))) {
            ds.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            String note = Files.readString(f, StandardCharsets.UTF_8);
            Checkpoint c;
            try {
                c = Checkpoint.open(note, key);
            } catch (NoteFormatException e) {
                throw new NoteFormatException(
                        "checkpoint file " + ExportLayout.CHECKPOINTS + "/" + f.getFileName() + ": " + e.getMessage(),
                        e.line());
            }
            Checkpoint other = out.put(c.size(), c);
            if (other != null && !java.util.Arrays.equals(other.rootHash(), c.rootHash())) {
                throw new NoteFormatException(
                        "two signed checkpoints of size " + c.size() + " have different roots", 0);
            }
        }
        return out;
    }

    /** Event lines read that carry only a leaf hash: bodies removed when their retention ended. */
    private long expired;

    private VerificationResult run() {
        long[] counts = new long[2];
        try {
            Path format = dir.resolve(ExportLayout.FORMAT);
            if (Files.exists(format) && !Files.readString(format).strip().equals(ExportLayout.FORMAT_LINE)) {
                throw new Failure(
                        Kind.UNREADABLE,
                        0,
                        "the export is in an unknown format \""
                                + Files.readString(format).strip() + "\", this verifier reads \""
                                + ExportLayout.FORMAT_LINE + "\"");
            }
            NoteVerifier key;
            try {
                key = readKey(dir);
            } catch (NoSuchFileException e) {
                throw new Failure(Kind.UNREADABLE, 0, "the export has no " + ExportLayout.VERIFIER_KEY + " file");
            } catch (NoteFormatException e) {
                throw new Failure(Kind.UNREADABLE, 0, ExportLayout.VERIFIER_KEY + ": " + e.getMessage());
            }
            TreeMap<Long, Checkpoint> checkpoints = checkpoints(key);
            counts[1] = checkpoints.size();
            total = checkpoints.lastKey();
            counts[0] = streamEvents(checkpoints);
            checkConsistency(checkpoints);
            return new VerificationResult(counts[0], (int) counts[1], expired, Optional.empty());
        } catch (Failure f) {
            return new VerificationResult(counts[0], (int) counts[1], expired, Optional.of(f.problem));
        } catch (IOException | UncheckedIOException e) {
            return new VerificationResult(
                    counts[0], (int) counts[1], expired, Optional.of(new Problem(Kind.UNREADABLE, 0, e.toString())));
        }
    }

    private TreeMap<Long, Checkpoint> checkpoints(NoteVerifier key) throws Failure, IOException {
        TreeMap<Long, Checkpoint> out = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve(ExportLayout.CHECKPOINTS))) {
            ds.forEach(files::add);
        } catch (NoSuchFileException e) {
            throw new Failure(Kind.UNREADABLE, 0, "the export has no " + ExportLayout.CHECKPOINTS + " directory");
        }
        String origin = null;
        for (Path f : files) {
            String name = ExportLayout.CHECKPOINTS + "/" + f.getFileName();
            long claimed = parseSizeOrZero(f.getFileName().toString());
            Checkpoint c;
            try {
                c = Checkpoint.open(Files.readString(f, StandardCharsets.UTF_8), key);
            } catch (NoteFormatException | java.nio.charset.MalformedInputException e) {
                throw new Failure(Kind.BAD_SIGNATURE, claimed, name + ": " + e.getMessage());
            }
            if (origin == null) {
                origin = c.origin();
            } else if (!origin.equals(c.origin())) {
                throw new Failure(
                        Kind.INCONSISTENT,
                        c.size(),
                        name + " is for log \"" + c.origin() + "\", not \"" + origin + "\"");
            }
            Checkpoint other = out.put(c.size(), c);
            if (other != null && !java.util.Arrays.equals(other.rootHash(), c.rootHash())) {
                throw new Failure(
                        Kind.INCONSISTENT, c.size(), "two signed checkpoints of size " + c.size() + " differ");
            }
        }
        if (out.isEmpty()) {
            throw new Failure(Kind.UNREADABLE, 0, "the export holds no checkpoint");
        }
        return out;
    }

    private static long parseSizeOrZero(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private long streamEvents(TreeMap<Long, Checkpoint> checkpoints) throws Failure, IOException {
        Frontier tree = new Frontier();
        long suspect = -1;
        long previousSize = 0;
        java.util.Iterator<Map.Entry<Long, Checkpoint>> next =
                checkpoints.entrySet().iterator();
        Checkpoint due = next.next().getValue();
        if (due.size() == 0) {
            if (!java.util.Arrays.equals(due.rootHash(), Hashes.emptyRoot())) {
                throw new Failure(Kind.ROOT_MISMATCH, 0, "the checkpoint of size 0 does not carry the empty root");
            }
            due = next.hasNext() ? next.next().getValue() : null;
        }
        long p = 0;
        try (LeafStream lines = new LeafStream(new LineReader(
                new BufferedInputStream(Files.newInputStream(dir.resolve(ExportLayout.EVENTS)), 1 << 16)))) {
            while (lines.next()) {
                if (p >= total) {
                    throw new Failure(
                            Kind.INSERTED,
                            p,
                            "the export holds events past index " + (total - 1)
                                    + ", the last one a signed checkpoint covers");
                }
                if (lines.error() != null) {
                    throw earlier(
                            suspect,
                            new Failure(
                                    Kind.MALFORMED, p, "event line " + (p + 1) + " is unreadable: " + lines.error()));
                }
                Leaf leaf = lines.leaf();
                if (leaf.index() != p) {
                    throw earlier(suspect, indexAnomaly(p, leaf.index()));
                }
                if (suspect < 0 && !matchesTile(p, leaf.hash())) {
                    suspect = p;
                }
                tree.append(leaf.hash());
                if (leaf.expired()) {
                    expired++;
                }
                p++;
                if (due != null && p == due.size()) {
                    if (!java.util.Arrays.equals(tree.root(), due.rootHash())) {
                        if (suspect >= 0) {
                            throw classify(suspect);
                        }
                        throw new Failure(
                                Kind.ROOT_MISMATCH,
                                previousSize,
                                "the events do not match the signed checkpoint of size " + due.size()
                                        + ", and the hash tiles were altered with them: the first bad event lies"
                                        + " between index " + previousSize + " and " + (due.size() - 1));
                    }
                    if (suspect >= 0) {
                        throw new Failure(
                                Kind.DAMAGED_TILES,
                                suspect,
                                "the hash tile entry for index " + suspect
                                        + " differs from the event, but the events match the signed checkpoint of size "
                                        + due.size() + ": the events are intact, the tiles of the export are damaged");
                    }
                    previousSize = due.size();
                    due = next.hasNext() ? next.next().getValue() : null;
                }
                if ((p & 0xffff) == 0) {
                    progress.update(p, total);
                }
            }
        }
        progress.update(p, total);
        if (p < total) {
            if (suspect >= 0) {
                throw classify(suspect);
            }
            throw new Failure(
                    Kind.MISSING,
                    p,
                    "the export ends after " + p + " events, but a signed checkpoint covers " + total
                            + ": events from index " + p + " on are missing");
        }
        return p;
    }

    private Failure earlier(long suspect, Failure f) throws IOException {
        if (suspect >= 0 && suspect < f.problem.index()) {
            return classify(suspect);
        }
        return f;
    }

    private static Leaf leaf(byte[] buf, int len) throws JsonParseException {
        return leafAt(buf, 0, len);
    }

    private static Leaf leafAt(byte[] buf, int offset, int len) throws JsonParseException {
        Object v = Json.parse(buf, offset, len);
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("an event line must be a JSON object");
        }
        if (!(m.get("index") instanceof Double d) || d < 0 || d != Math.rint(d) || d > 9007199254740992.0) {
            throw new IllegalArgumentException("\"index\" must be a non-negative integer");
        }
        long index = d.longValue();
        if (m.size() == 2 && m.containsKey("event")) {
            return new Leaf(index, Hashes.leafHash(Json.canonicalize(m.get("event"))), false);
        }
        if (m.size() == 2 && m.get("leafHash") instanceof String h) {
            return new Leaf(index, Hashes.fromBase64(h), true);
        }
        throw new IllegalArgumentException("an event line has \"index\" and either \"event\" or \"leafHash\"");
    }

    private boolean matchesTile(long index, byte[] hash) {
        if (tileHash(index) == null) {
            return true;
        }
        int off = (int) (index & (Tile.WIDTH - 1)) * Hashes.SIZE;
        return java.util.Arrays.equals(cachedTile, off, off + Hashes.SIZE, hash, 0, Hashes.SIZE);
    }

    /** The logged leaf hash at {@code index} from the export's level-0 tiles, null if unavailable. */
    private byte[] tileHash(long index) {
        if (!tilesUsable || index < 0 || index >= total) {
            return null;
        }
        long t = index >>> Tile.HEIGHT;
        if (t != cachedTileIndex) {
            try {
                cachedTile = store.read(0, t, Tile.widthAt(0, t, total));
            } catch (IOException | UncheckedIOException e) {
                cachedTile = null;
            }
            cachedTileIndex = t;
            if (cachedTile == null) {
                tilesUsable = false;
                return null;
            }
        }
        int off = (int) (index & (Tile.WIDTH - 1)) * Hashes.SIZE;
        return java.util.Arrays.copyOfRange(cachedTile, off, off + Hashes.SIZE);
    }

    private Failure indexAnomaly(long p, long found) throws IOException {
        if (found < p) {
            return new Failure(
                    Kind.INSERTED,
                    p,
                    "line " + (p + 1) + " claims index " + found + ", which an earlier line already holds:"
                            + " an event was inserted at index " + p);
        }
        if (lineWithIndexAfter(p)) {
            return new Failure(
                    Kind.REORDERED,
                    p,
                    "event " + p + " appears later in the export; event " + found + " stands in its place");
        }
        return new Failure(Kind.MISSING, p, "event " + p + " is missing; the next line holds event " + found);
    }

    private boolean lineWithIndexAfter(long wanted) throws IOException {
        try (LineReader lines = new LineReader(
                new BufferedInputStream(Files.newInputStream(dir.resolve(ExportLayout.EVENTS)), 1 << 16))) {
            while (lines.next()) {
                try {
                    if (leaf(lines.buffer(), lines.length()).index() == wanted) {
                        return true;
                    }
                } catch (JsonParseException | IllegalArgumentException e) {
                    // unreadable lines cannot be the one we look for
                }
            }
        }
        return false;
    }

    /** Names what happened at {@code q}, where the event's leaf hash first differs from the logged one. */
    private Failure classify(long q) throws IOException {
        Leaf here = null;
        Leaf after = null;
        try (LineReader lines = new LineReader(
                new BufferedInputStream(Files.newInputStream(dir.resolve(ExportLayout.EVENTS)), 1 << 16))) {
            for (long i = 0; i <= q + 1 && lines.next(); i++) {
                if (i >= q) {
                    Leaf l;
                    try {
                        l = leaf(lines.buffer(), lines.length());
                    } catch (JsonParseException | IllegalArgumentException e) {
                        l = null;
                    }
                    if (i == q) {
                        here = l;
                    } else {
                        after = l;
                    }
                }
            }
        }
        byte[] logged = tileHash(q);
        byte[] loggedNext = tileHash(q + 1);
        if (after != null && logged != null && java.util.Arrays.equals(after.hash(), logged)) {
            return new Failure(Kind.INSERTED, q, "an event that the log does not hold was inserted at index " + q);
        }
        byte[] loggedAfterNext = tileHash(q + 2);
        boolean restMovedUp = after == null
                ? loggedAfterNext == null
                : loggedAfterNext != null && java.util.Arrays.equals(after.hash(), loggedAfterNext);
        if (here != null && loggedNext != null && java.util.Arrays.equals(here.hash(), loggedNext) && restMovedUp) {
            return new Failure(Kind.MISSING, q, "event " + q + " is missing; the events after it moved up by one");
        }
        if (here != null) {
            long first = q & ~0xffL;
            for (long j = first; j < Math.min(total, first + 2L * Tile.WIDTH); j++) {
                byte[] t = tileHash(j);
                if (j != q && t != null && java.util.Arrays.equals(t, here.hash()) && !lineMatchesTile(j)) {
                    return new Failure(Kind.REORDERED, q, "the event at index " + q + " was logged at index " + j);
                }
            }
        }
        return new Failure(
                Kind.CHANGED,
                q,
                "event " + q + " was changed: its leaf hash is "
                        + (here == null ? "unknown" : Hashes.toBase64(here.hash())) + ", the log holds "
                        + (logged == null ? "another" : Hashes.toBase64(logged)));
    }

    /** Whether the line at position {@code pos} holds the logged event (used only to name a problem). */
    private boolean lineMatchesTile(long pos) throws IOException {
        try (LineReader lines = new LineReader(
                new BufferedInputStream(Files.newInputStream(dir.resolve(ExportLayout.EVENTS)), 1 << 16))) {
            for (long i = 0; lines.next(); i++) {
                if (i == pos) {
                    try {
                        return java.util.Arrays.equals(
                                leaf(lines.buffer(), lines.length()).hash(), tileHash(pos));
                    } catch (JsonParseException | IllegalArgumentException e) {
                        return false;
                    }
                }
            }
        }
        return false;
    }

    private void checkConsistency(TreeMap<Long, Checkpoint> checkpoints) throws Failure {
        if (!tilesUsable || checkpoints.size() < 2) {
            return;
        }
        MerkleLog log = new MerkleLog(store, total);
        Checkpoint previous = null;
        for (Checkpoint c : checkpoints.values()) {
            if (previous != null) {
                try {
                    List<byte[]> proof = log.consistencyProof(previous.size(), c.size());
                    Proofs.verifyConsistency(previous.size(), c.size(), proof, previous.rootHash(), c.rootHash());
                } catch (IOException | UncheckedIOException | InvalidProofException e) {
                    // Both roots were recomputed from the same events, so they are consistent; a proof that
                    // cannot be built or checked from the tiles means the higher tiles are damaged.
                    throw new Failure(
                            Kind.DAMAGED_TILES,
                            c.size(),
                            "the consistency proof from size " + previous.size() + " to " + c.size()
                                    + " built from the export's tiles does not hold: " + e.getMessage());
                }
            }
            previous = c;
        }
    }

    /**
     * Parses, canonicalizes and hashes event lines on all processors, in batches, and hands them back in
     * file order.
     */
    private static final class LeafStream implements AutoCloseable {
        private static final int BATCH = 2048;
        private static final int IN_FLIGHT = 8;

        private record Parsed(int count, Leaf[] leaves, String[] errors) {}

        private final LineReader lines;
        private final java.util.concurrent.ExecutorService pool;
        private final java.util.ArrayDeque<java.util.concurrent.Future<Parsed>> inFlight = new java.util.ArrayDeque<>();
        private Parsed current;
        private int pos;
        private boolean eof;

        LeafStream(LineReader lines) {
            this.lines = lines;
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
            this.pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "export-verifier");
                t.setDaemon(true);
                return t;
            });
        }

        boolean next() throws IOException {
            pos++;
            while (current == null || pos >= current.count()) {
                fill();
                java.util.concurrent.Future<Parsed> f = inFlight.poll();
                if (f == null) {
                    return false;
                }
                try {
                    current = f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException("parsing events failed", e.getCause());
                }
                pos = 0;
            }
            return true;
        }

        Leaf leaf() {
            return current.leaves()[pos];
        }

        String error() {
            return current.errors()[pos];
        }

        private void fill() throws IOException {
            while (!eof && inFlight.size() < IN_FLIGHT) {
                byte[] data = new byte[BATCH * 160];
                int[] ends = new int[BATCH];
                int n = 0;
                int used = 0;
                while (n < BATCH && lines.next()) {
                    int len = lines.length();
                    if (used + len > data.length) {
                        data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, used + len));
                    }
                    System.arraycopy(lines.buffer(), 0, data, used, len);
                    used += len;
                    ends[n++] = used;
                }
                if (n < BATCH) {
                    eof = true;
                }
                if (n == 0) {
                    return;
                }
                byte[] d = data;
                int count = n;
                inFlight.add(pool.submit(() -> parse(d, ends, count)));
            }
        }

        private static Parsed parse(byte[] data, int[] ends, int n) {
            Leaf[] leaves = new Leaf[n];
            String[] errors = new String[n];
            int start = 0;
            for (int i = 0; i < n; i++) {
                try {
                    leaves[i] = leafAt(data, start, ends[i] - start);
                } catch (JsonParseException | IllegalArgumentException e) {
                    errors[i] = e.getMessage();
                }
                start = ends[i];
            }
            return new Parsed(n, leaves, errors);
        }

        @Override
        public void close() throws IOException {
            pool.shutdownNow();
            lines.close();
        }
    }
}
