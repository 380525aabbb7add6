package jp.mamori.backup.repository;

import com.github.luben.zstd.Zstd;
import java.io.Closeable;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * An opened repository: its keys, its configuration, the blob index, and the packer that turns
 * blobs into pack files. Saving blobs is safe from many threads at once; packs are written by a
 * background writer, and an index file follows every few packs, so an interrupted backup loses at
 * most the last few packs' worth of work.
 */
public final class Repository implements Closeable {

    /** Packs after which an index file is written, so an interrupted run can resume from it. */
    private static final int PACKS_PER_INDEX = 8;

    private final Backend backend;
    private final MasterKeys keys;
    private final Crypto crypto;
    private final RepositoryConfig config;
    private final KeyFile key;
    private final String keyName;

    private final Map<BlobId, BlobEntry> index = new ConcurrentHashMap<>();
    private final Map<BlobId, Boolean> inFlight = new ConcurrentHashMap<>();
    private final List<String> indexFiles = new ArrayList<>();
    private boolean indexLoaded;

    private final Object packLock = new Object();
    private PackBuilder current;
    private final Map<String, List<BlobEntry>> unindexed = new LinkedHashMap<>();
    private ExecutorService writer;
    private final Semaphore pendingPacks = new Semaphore(2);
    private final AtomicReference<Throwable> writeFailure = new AtomicReference<>();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong packsWritten = new AtomicLong();

    private Repository(Backend backend, MasterKeys keys, RepositoryConfig config, KeyFile key, String keyName) {
        this.backend = backend;
        this.keys = keys;
        this.crypto = keys.crypto();
        this.config = config;
        this.key = key;
        this.keyName = keyName;
        this.current = new PackBuilder();
    }

    /** Creates a repository in an empty backend, with a first (administrator) key for the passphrase. */
    public static Repository init(Backend backend, char[] passphrase, int lockDays) throws IOException {
        if (backend.exists(ObjectKind.CONFIG, "config")) {
            throw new IOException("a repository exists already at " + backend.location());
        }
        MasterKeys keys = MasterKeys.generate();
        RepositoryConfig config = RepositoryConfig.fresh(lockDays);
        KeyFile key = KeyFile.create(keys, passphrase, KeyFile.ADMIN, "initial key");
        byte[] keyBytes = key.bytes();
        String keyName = KeyFile.nameOf(keyBytes);
        backend.create(ObjectKind.KEY, keyName, keyBytes, null);
        backend.create(ObjectKind.CONFIG, "config", keys.crypto().seal(Json.write(config)), null);
        return new Repository(backend, keys, config, key, keyName);
    }

    /**
     * Opens a repository with a passphrase, trying each key file.
     *
     * @throws KeyFile.WrongPassphraseException if no key file opens with it
     */
    public static Repository open(Backend backend, char[] passphrase) throws IOException {
        if (!backend.exists(ObjectKind.CONFIG, "config")) {
            throw new IOException("no repository at " + backend.location() + " (run init first)");
        }
        for (Backend.StoredObject k : backend.list(ObjectKind.KEY)) {
            byte[] bytes = backend.read(ObjectKind.KEY, k.name());
            KeyFile key = Json.read(bytes, KeyFile.class, "key " + k.name());
            try {
                MasterKeys keys = key.open(passphrase);
                RepositoryConfig config = Json.read(
                        keys.crypto().open(backend.read(ObjectKind.CONFIG, "config"), "config"),
                        RepositoryConfig.class,
                        "config");
                return new Repository(backend, keys, config, key, k.name());
            } catch (KeyFile.WrongPassphraseException e) {
                // try the next key
            }
        }
        throw new KeyFile.WrongPassphraseException();
    }

    public Backend backend() {
        return backend;
    }

    public Crypto crypto() {
        return crypto;
    }

    public MasterKeys keys() {
        return keys;
    }

    public RepositoryConfig config() {
        return config;
    }

    public KeyFile key() {
        return key;
    }

    public String keyName() {
        return keyName;
    }

    /** Refuses what only an administrator key may do. */
    public void requireAdmin(String what) throws Backend.NotPermittedException {
        if (!key.isAdmin()) {
            throw new Backend.NotPermittedException(
                    what + " needs an administrator key; this passphrase opens an append key");
        }
    }

    public @Nullable Instant retainUntil() {
        return config.lockDays() > 0 ? Instant.now().plus(config.lockDays(), ChronoUnit.DAYS) : null;
    }

    // ---- index ----

    /** Reads every index file (once). */
    public synchronized void loadIndex() throws IOException {
        if (indexLoaded) {
            return;
        }
        for (Backend.StoredObject o : backend.list(ObjectKind.INDEX)) {
            IndexFile file = IndexFile.open(crypto, o.name(), backend.read(ObjectKind.INDEX, o.name()));
            indexFiles.add(o.name());
            for (List<BlobEntry> blobs : file.packs().values()) {
                for (BlobEntry e : blobs) {
                    index.putIfAbsent(e.id(), e);
                }
            }
        }
        indexLoaded = true;
    }

    public synchronized List<String> indexFiles() {
        return List.copyOf(indexFiles);
    }

    public @Nullable BlobEntry find(BlobId id) {
        return index.get(id);
    }

    public Collection<BlobEntry> allBlobs() {
        return index.values();
    }

    /** Drops a blob from the in-memory index, so that {@link #save} stores it again (prune's rewrite). */
    public void forgetBlob(BlobId id) {
        index.remove(id);
    }

    public boolean has(BlobId id) {
        return index.containsKey(id) || inFlight.containsKey(id);
    }

    // ---- writing blobs ----

    /**
     * Stores a blob unless the repository has it already.
     *
     * @return the bytes added to packs (0 when the blob was known)
     */
    public int save(BlobType type, BlobId id, byte[] plain) throws IOException {
        rethrowWriteFailure();
        if (index.containsKey(id) || inFlight.putIfAbsent(id, Boolean.TRUE) != null) {
            return 0;
        }
        byte[] body = plain;
        boolean compressed = false;
        if (plain.length >= 64) {
            byte[] z = Zstd.compress(plain, config.zstdLevel());
            // Keep compression only where it saves at least 1/32: images and archives do not compress.
            if (z.length < plain.length - (plain.length >> 5)) {
                body = z;
                compressed = true;
            }
        }
        byte[] sealed = crypto.seal(body);
        PackBuilder full = null;
        synchronized (packLock) {
            current.add(type, id, sealed, plain.length, compressed);
            if (current.size() >= config.packSize()) {
                full = current;
                current = new PackBuilder();
            }
        }
        if (full != null) {
            submit(full);
        }
        return sealed.length;
    }

    private void submit(PackBuilder pack) throws IOException {
        synchronized (this) {
            if (writer == null) {
                writer = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "pack-writer");
                    t.setDaemon(true);
                    return t;
                });
            }
        }
        try {
            pendingPacks.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to write a pack");
        }
        writer.execute(() -> {
            try {
                writePack(pack);
            } catch (Throwable t) {
                writeFailure.compareAndSet(null, t);
            } finally {
                pendingPacks.release();
            }
        });
    }

    private void writePack(PackBuilder pack) throws IOException {
        byte[] header = crypto.seal(Packs.header(pack.entries("")));
        byte[] bytes = pack.finish(header);
        String name = sha256(bytes);
        try {
            backend.create(ObjectKind.PACK, name, bytes, retainUntil());
        } catch (Backend.ObjectExistsException e) {
            // The same bytes under the same hash: stored already.
        }
        bytesWritten.addAndGet(bytes.length);
        packsWritten.incrementAndGet();
        List<BlobEntry> entries = pack.entries(name);
        Map<String, List<BlobEntry>> toIndex = null;
        synchronized (unindexed) {
            unindexed.put(name, entries);
            for (BlobEntry e : entries) {
                index.put(e.id(), e);
                inFlight.remove(e.id());
            }
            if (unindexed.size() >= PACKS_PER_INDEX) {
                toIndex = new LinkedHashMap<>(unindexed);
                unindexed.clear();
            }
        }
        if (toIndex != null) {
            writeIndex(toIndex, List.of());
        }
    }

    /** Writes an index file and returns its name. */
    public String writeIndex(Map<String, List<BlobEntry>> packs, List<String> supersedes) throws IOException {
        byte[] sealed = new IndexFile(Instant.now(), supersedes, packs).seal(crypto);
        String name = sha256(sealed);
        backend.create(ObjectKind.INDEX, name, sealed, retainUntil());
        synchronized (this) {
            indexFiles.add(name);
        }
        return name;
    }

    /** Writes the open pack and the pending index entries, and waits until both are durable. */
    public void flush() throws IOException {
        PackBuilder last;
        synchronized (packLock) {
            last = current;
            current = new PackBuilder();
        }
        if (last.count() > 0) {
            submit(last);
        }
        if (writer != null) {
            try {
                pendingPacks.acquire(2);
                pendingPacks.release(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing packs");
            }
        }
        rethrowWriteFailure();
        Map<String, List<BlobEntry>> toIndex;
        synchronized (unindexed) {
            toIndex = new LinkedHashMap<>(unindexed);
            unindexed.clear();
        }
        if (!toIndex.isEmpty()) {
            writeIndex(toIndex, List.of());
        }
    }

    private void rethrowWriteFailure() throws IOException {
        Throwable t = writeFailure.get();
        if (t instanceof IOException io) {
            throw new IOException("writing a pack to " + backend.location() + " failed: " + io.getMessage(), io);
        } else if (t != null) {
            throw new IOException("writing a pack failed: " + t, t);
        }
    }

    public long bytesWritten() {
        return bytesWritten.get();
    }

    public long packsWritten() {
        return packsWritten.get();
    }

    // ---- reading blobs ----

    /** Reads, opens and checks one blob. */
    public byte[] load(BlobId id) throws IOException {
        BlobEntry e = index.get(id);
        if (e == null) {
            throw new Crypto.CorruptObjectException(
                    "blob " + id.shortHex() + " is in no index: the repository is " + "missing data (run check)");
        }
        byte[] sealed = backend.read(ObjectKind.PACK, e.pack(), e.offset(), e.length());
        return open(e, sealed, 0);
    }

    /** Opens a sealed blob found at {@code offset} of {@code bytes} and checks its ID. */
    public byte[] open(BlobEntry e, byte[] bytes, int offset) throws Crypto.CorruptObjectException {
        String what = "pack " + e.pack() + ", blob " + e.id().shortHex() + " at " + e.offset();
        byte[] body = crypto.open(bytes, offset, e.length(), what);
        byte[] plain;
        if (e.compressed()) {
            try {
                plain = Zstd.decompress(body, e.rawLength());
            } catch (RuntimeException x) {
                throw new Crypto.CorruptObjectException(what + ": does not decompress (" + x.getMessage() + ")");
            }
        } else {
            plain = body;
        }
        if (plain.length != e.rawLength() || !BlobId.of(crypto.id(plain)).equals(e.id())) {
            throw new Crypto.CorruptObjectException(what + ": content does not match its ID");
        }
        return plain;
    }

    // ---- sealed JSON objects (generations, drill records) ----

    public String saveObject(ObjectKind kind, Object value) throws IOException {
        byte[] sealed = crypto.seal(Json.write(value));
        String name = sha256(sealed);
        backend.create(kind, name, sealed, retainUntil());
        return name;
    }

    public <T> T loadObject(ObjectKind kind, String name, Class<T> type) throws IOException {
        byte[] sealed = backend.read(kind, name);
        if (!sha256(sealed).equals(name)) {
            throw new Crypto.CorruptObjectException(
                    kind.folder() + "/" + name + ": content does not match its name (altered or damaged)");
        }
        return Json.read(crypto.open(sealed, kind.folder() + "/" + name), type, kind.folder() + "/" + name);
    }

    public static String sha256(byte[] bytes) {
        try {
            return ObjectNames.hex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.shutdown();
            try {
                writer.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        backend.close();
    }
}
