package jp.mamori.backup.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import jp.mamori.backup.chunker.FastCdc;
import jp.mamori.backup.repository.BlobId;
import jp.mamori.backup.repository.BlobType;
import jp.mamori.backup.repository.Json;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;
import jp.mamori.backup.snapshot.GuardReport;
import jp.mamori.backup.snapshot.Node;
import jp.mamori.backup.snapshot.Snapshot;
import jp.mamori.backup.snapshot.Tree;
import jp.mamori.backup.snapshot.TreeJson;
import org.jspecify.annotations.Nullable;

/**
 * One backup run: walks the paths (or reads standard input), cuts files into content-defined
 * chunks, and stores the chunks the repository does not have yet, then the trees and the generation
 * manifest. The walking thread reads, cuts and names chunks; a pool of workers compresses, seals
 * and packs them, with the bytes in flight bounded so memory stays flat whatever the input.
 *
 * <p>Files whose size, times and inode match the parent generation are taken over without being
 * read, as restic does; the ransomware guard compares what was read with the parent.
 */
public final class BackupRun {

    /**
     * @param paths files or folders to back up; empty when reading standard input
     * @param stdin standard input to back up as one file, or null
     * @param stdinName the file name given to standard input's content
     * @param kind dataset kind, one of {@link Snapshot#KINDS}
     * @param parent a generation to compare with, or null to pick the latest of the same paths
     * @param workers threads that compress and seal
     */
    public record Options(
            List<Path> paths,
            @Nullable InputStream stdin,
            String stdinName,
            String kind,
            List<String> tags,
            @Nullable String parent,
            String host,
            RansomwareGuard.Thresholds thresholds,
            int workers) {

        public static Options of(List<Path> paths, String kind) {
            return new Options(
                    paths,
                    null,
                    "stdin",
                    kind,
                    List.of(),
                    null,
                    hostName(),
                    RansomwareGuard.Thresholds.DEFAULT,
                    Runtime.getRuntime().availableProcessors());
        }

        public Options withStdin(InputStream in, String name) {
            return new Options(List.of(), in, name, kind, tags, parent, host, thresholds, workers);
        }

        public Options withTags(List<String> t) {
            return new Options(paths, stdin, stdinName, kind, t, parent, host, thresholds, workers);
        }

        public Options withParent(@Nullable String p) {
            return new Options(paths, stdin, stdinName, kind, tags, p, host, thresholds, workers);
        }

        public Options withHost(String h) {
            return new Options(paths, stdin, stdinName, kind, tags, parent, h, thresholds, workers);
        }
    }

    /** The stored generation and its name. */
    public record Result(String name, Snapshot snapshot) {}

    private static final int SAMPLE = 64 * 1024;
    /** Bytes of chunks handed to workers and not yet sealed. */
    private static final int IN_FLIGHT_KIB = 24 * 1024;

    private final Repository repo;
    private final Generations generations;
    private final Progress progress;
    private FastCdc cdc;
    private byte[] buffer;
    private ExecutorService workers;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_KIB);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private RansomwareGuard guard;
    /** Files up to this size are one chunk, read ahead by {@link #readers}. */
    private int smallFile;

    private ExecutorService readers;
    /** The parent generation's trees, read ahead of the walk. */
    private TreePrefetch parentTrees;

    private final Semaphore prefetchBudget = new Semaphore(16 * 1024);

    private long files, dirs, bytes, filesNew, filesChanged, filesUnchanged, bytesRead;
    private final AtomicLong bytesAdded = new AtomicLong();
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    public BackupRun(Repository repo, Progress progress) {
        this.repo = repo;
        this.generations = new Generations(repo);
        this.progress = progress;
    }

    public Result run(Options o) throws IOException {
        if (!Snapshot.KINDS.contains(o.kind())) {
            throw new IllegalArgumentException("unknown dataset kind " + o.kind() + "; one of " + Snapshot.KINDS);
        }
        long start = System.nanoTime();
        Instant time = Instant.now();
        repo.loadIndex();
        var config = repo.config();
        cdc = new FastCdc(config.chunkMin(), config.chunkAvg(), config.chunkMax(), config.chunkerSeed());
        buffer = new byte[config.chunkMax() * 2];
        guard = new RansomwareGuard(o.thresholds());
        smallFile = config.chunkMin();
        readers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "backup-reader");
            t.setDaemon(true);
            return t;
        });
        parentTrees = new TreePrefetch(generations, 2, 4096);
        workers = Executors.newFixedThreadPool(Math.max(1, o.workers()), r -> {
            Thread t = new Thread(r, "backup-worker");
            t.setDaemon(true);
            return t;
        });
        List<String> paths = new ArrayList<>();
        Generations.Named parent = null;
        List<Node> roots = new ArrayList<>();
        try {
            if (o.stdin() != null) {
                paths.add("-");
                roots.add(stdinNode(o.stdin(), o.stdinName()));
            } else {
                for (Path p : o.paths()) {
                    paths.add(p.toAbsolutePath().normalize().toString());
                }
                parent = findParent(o, paths);
                Tree parentRoot = null;
                if (parent != null) {
                    try {
                        parentRoot = parentTrees.take(parent.snapshot().tree());
                    } catch (IOException e) {
                        warnings.add("the previous generation " + parent.shortName() + " cannot be read ("
                                + e.getMessage() + "); every file is read again");
                        parent = null;
                    }
                }
                if (progress.shown()) {
                    startCounting(o.paths());
                }
                Set<String> names = new HashSet<>();
                for (Path p : o.paths()) {
                    Path abs = p.toAbsolutePath().normalize();
                    if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                        throw new IOException(abs + ": no such file or folder");
                    }
                    String name = abs.getFileName() == null
                            ? "root"
                            : abs.getFileName().toString();
                    if (!names.add(name)) {
                        throw new IOException(
                                "two paths end in the same name \"" + name + "\"; back them up separately");
                    }
                    Node before = parentRoot == null ? null : parentRoot.find(name);
                    roots.add(node(abs, name, before, ""));
                }
            }
            workers.shutdown();
            if (!workers.awaitTermination(7, TimeUnit.DAYS)) {
                throw new IOException("backup workers did not finish");
            }
            rethrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("backup interrupted");
        } finally {
            workers.shutdownNow();
            readers.shutdownNow();
            parentTrees.close();
        }
        roots.sort((a, b) -> a.name().compareTo(b.name()));
        String rootTree = saveTree(new Tree(roots));
        repo.flush();
        progress.done();
        GuardReport report = parent == null
                ? null
                : guard.report(parent.name(), parent.snapshot().stats().files());
        Snapshot.Stats stats = new Snapshot.Stats(
                files,
                dirs,
                bytes,
                filesNew,
                filesChanged,
                filesUnchanged,
                bytesRead,
                bytesAdded.get(),
                (System.nanoTime() - start) / 1e9,
                List.copyOf(warnings));
        Snapshot snapshot = new Snapshot(
                time,
                o.host(),
                paths,
                o.tags(),
                o.kind(),
                rootTree,
                parent == null ? null : parent.name(),
                stats,
                report,
                "mamori-backup 1");
        String name = repo.saveObject(ObjectKind.SNAPSHOT, snapshot);
        return new Result(name, snapshot);
    }

    private Generations.@Nullable Named findParent(Options o, List<String> paths) throws IOException {
        if (o.parent() != null) {
            return generations.resolve(o.parent());
        }
        List<String> sorted = paths.stream().sorted().toList();
        Generations.Named best = null;
        for (Generations.Named g : generations.list()) {
            Snapshot s = g.snapshot();
            if (s.host().equals(o.host())
                    && s.kind().equals(o.kind())
                    && s.paths().stream().sorted().toList().equals(sorted)) {
                best = g;
            }
        }
        return best;
    }

    private void startCounting(List<Path> paths) {
        Thread t = new Thread(
                () -> {
                    long[] totals = new long[2];
                    for (Path p : paths) {
                        try (var walk = Files.walk(p)) {
                            walk.forEach(f -> {
                                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                                    totals[0]++;
                                    try {
                                        totals[1] += Files.size(f);
                                    } catch (IOException ignored) {
                                        // counted when read
                                    }
                                }
                            });
                        } catch (IOException | RuntimeException e) {
                            return;
                        }
                    }
                    progress.total(totals[0], totals[1]);
                },
                "backup-count");
        t.setDaemon(true);
        t.start();
    }

    private Node node(Path path, String name, @Nullable Node before, String rel) throws IOException {
        return node(path, name, stat(path), before, rel, null);
    }

    private Node node(
            Path path, String name, Stat st, @Nullable Node before, String rel, @Nullable Future<Prefetched> prefetched)
            throws IOException {
        rethrow();
        if (st.link()) {
            return new Node(
                    name,
                    Node.SYMLINK,
                    st.mode(),
                    st.mtime(),
                    st.ctime(),
                    st.inode(),
                    0,
                    st.dos(),
                    Files.readSymbolicLink(path).toString(),
                    null,
                    null,
                    0);
        }
        if (st.dir()) {
            return directory(path, name, before, rel, st);
        }
        Node fresh = st.fileNode(name, st.size(), null, 0);
        files++;
        bytes += st.size();
        if (unchanged(before, fresh)) {
            filesUnchanged++;
            progress.file();
            progress.bytes(st.size());
            return st.fileNode(name, st.size(), before.content(), before.entropy());
        }
        List<String> content = new ArrayList<>();
        double entropy;
        long read;
        if (prefetched != null) {
            Prefetched small = await(prefetched, path);
            byte[] data = small.data();
            read = data.length;
            entropy = small.entropy();
            if (small.id() != null) {
                content.add(store(data, small.id()).hex());
            }
            bytesRead += data.length;
            progress.bytes(data.length);
            if (data.length != st.size()) {
                warnings.add(path + ": changed while it was read; this generation holds the bytes read");
            }
        } else {
            double[] e = {-1};
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                chunk(ch, content, e);
            } catch (java.nio.file.AccessDeniedException denied) {
                files--;
                bytes -= st.size();
                throw denied;
            }
            read = readBytes;
            entropy = Math.max(0, e[0]);
            Stat after = stat(path);
            if (after.mtime() != st.mtime() || after.size() != st.size()) {
                warnings.add(path + ": changed while it was read; this generation holds the bytes read");
            }
        }
        if (before == null || !before.isFile()) {
            filesNew++;
        } else if (!content.equals(before.content())) {
            filesChanged++;
            guard.changedFile(before, entropy);
        } else {
            filesUnchanged++;
        }
        progress.file();
        return st.fileNode(name, read, content, entropy);
    }

    private boolean unchanged(@Nullable Node before, Node fresh) {
        return before != null && before.looksUnchanged(fresh) && allKnown(before.content());
    }

    private Prefetched await(Future<Prefetched> f, Path path) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(path + ": " + e.getCause(), e.getCause());
        }
    }

    private boolean allKnown(@Nullable List<String> content) {
        if (content == null) {
            return false;
        }
        for (String id : content) {
            if (!repo.has(BlobId.parse(id))) {
                return false;
            }
        }
        return true;
    }

    private Node directory(Path path, String name, @Nullable Node before, String rel, Stat st) throws IOException {
        dirs++;
        Tree beforeTree = null;
        if (before != null && before.isDir() && before.subtree() != null) {
            try {
                beforeTree = parentTrees.take(before.subtree());
            } catch (IOException e) {
                // The earlier tree is damaged or unindexed: read everything below here again.
            }
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path e : entries) {
                names.add(e.getFileName().toString());
            }
        } catch (IOException e) {
            warnings.add(path + ": cannot list the folder (" + e.getMessage() + ")");
        }
        Collections.sort(names);
        String childRel = rel.isEmpty() ? name : rel + "/" + name;

        // Stat every entry, and start reading the small files that must be read, several at a time:
        // with many small files the time goes into waiting for the file system, not the CPU.
        int n = names.size();
        Stat[] stats = new Stat[n];
        Node[] priors = new Node[n];
        List<Future<Prefetched>> reads = new ArrayList<>(Collections.nCopies(n, null));
        for (int i = 0; i < n; i++) {
            Path child = path.resolve(names.get(i));
            priors[i] = beforeTree == null ? null : beforeTree.find(names.get(i));
            try {
                stats[i] = stat(child);
            } catch (java.nio.file.NoSuchFileException gone) {
                warnings.add(child + ": disappeared during the backup");
                continue;
            } catch (IOException e) {
                warnings.add(child + ": cannot be read (" + e.getMessage() + ")");
                continue;
            }
            Stat c = stats[i];
            if (c.file() && c.size() <= smallFile && !unchanged(priors[i], probe(c))) {
                reads.set(i, prefetch(child, c.size()));
            }
        }
        List<String> earlierSubtrees = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (stats[i] != null
                    && stats[i].dir()
                    && priors[i] != null
                    && priors[i].isDir()
                    && priors[i].subtree() != null) {
                earlierSubtrees.add(priors[i].subtree());
            }
        }
        parentTrees.ahead(earlierSubtrees);
        List<Node> children = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (stats[i] == null) {
                continue;
            }
            Path child = path.resolve(names.get(i));
            try {
                children.add(node(child, names.get(i), stats[i], priors[i], childRel, reads.get(i)));
            } catch (java.nio.file.NoSuchFileException gone) {
                warnings.add(child + ": disappeared during the backup");
            } catch (java.nio.file.AccessDeniedException denied) {
                warnings.add(child + ": permission denied");
            }
        }
        if (beforeTree != null) {
            Set<String> now = new HashSet<>(names);
            List<Node> removed = new ArrayList<>();
            for (Node x : beforeTree.nodes()) {
                if (!now.contains(x.name())) {
                    removed.add(x);
                }
            }
            List<Node> added = new ArrayList<>();
            for (Node x : children) {
                if (beforeTree.find(x.name()) == null) {
                    added.add(x);
                }
            }
            guard.directory(childRel, removed, added);
        }
        // A folder whose entries are all as they were keeps its earlier tree: nothing to encode or store.
        String subtree =
                beforeTree != null && children.equals(beforeTree.nodes()) && repo.has(BlobId.parse(before.subtree()))
                        ? before.subtree()
                        : saveTree(new Tree(children));
        return new Node(
                name, Node.DIR, st.mode(), st.mtime(), st.ctime(), st.inode(), 0, st.dos(), null, null, subtree, 0);
    }

    private static Node probe(Stat c) {
        return c.fileNode("", c.size(), null, 0);
    }

    /** A small file read ahead, with its chunk ID and entropy worked out by the reader thread. */
    private record Prefetched(byte[] data, @Nullable BlobId id, double entropy) {}

    private Future<Prefetched> prefetch(Path file, long size) throws IOException {
        int kib = (int) (size >> 10) + 1;
        try {
            prefetchBudget.acquire(kib);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return readers.submit(() -> {
            try {
                byte[] data = Files.readAllBytes(file);
                return new Prefetched(
                        data,
                        data.length == 0 ? null : BlobId.of(repo.crypto().id(data)),
                        RansomwareGuard.entropy(data, 0, Math.min(data.length, SAMPLE)));
            } finally {
                prefetchBudget.release(kib);
            }
        });
    }

    private String saveTree(Tree tree) throws IOException {
        byte[] json = TreeJson.write(Json.MAPPER, tree);
        BlobId id = BlobId.of(repo.crypto().id(json));
        bytesAdded.addAndGet(repo.save(BlobType.TREE, id, json));
        return id.hex();
    }

    private long readBytes;

    /** Cuts a channel into chunks; fills {@code content} with their IDs and {@code entropy[0]}. */
    private void chunk(java.nio.channels.ReadableByteChannel ch, List<String> content, double[] entropy)
            throws IOException {
        int filled = 0;
        int pos = 0;
        boolean eof = false;
        readBytes = 0;
        while (true) {
            if (!eof && filled - pos < cdc.max()) {
                System.arraycopy(buffer, pos, buffer, 0, filled - pos);
                filled -= pos;
                pos = 0;
                while (filled < buffer.length) {
                    int n = ch.read(ByteBuffer.wrap(buffer, filled, buffer.length - filled));
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    filled += n;
                    if (n == 0) {
                        break;
                    }
                }
            }
            int available = filled - pos;
            if (available == 0) {
                break;
            }
            if (entropy[0] < 0) {
                entropy[0] = RansomwareGuard.entropy(buffer, pos, Math.min(available, SAMPLE));
            }
            int n = cdc.cut(buffer, pos, available);
            byte[] chunk = java.util.Arrays.copyOfRange(buffer, pos, pos + n);
            pos += n;
            readBytes += n;
            bytesRead += n;
            progress.bytes(n);
            content.add(store(chunk).hex());
        }
    }

    private BlobId store(byte[] chunk) throws IOException {
        return store(chunk, BlobId.of(repo.crypto().id(chunk)));
    }

    private BlobId store(byte[] chunk, BlobId id) throws IOException {
        if (repo.has(id)) {
            return id;
        }
        int kib = (chunk.length >> 10) + 1;
        try {
            inFlight.acquire(kib);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        workers.execute(() -> {
            try {
                bytesAdded.addAndGet(repo.save(BlobType.DATA, id, chunk));
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                inFlight.release(kib);
            }
        });
        return id;
    }

    private void rethrow() throws IOException {
        Throwable t = failure.get();
        if (t instanceof IOException io) {
            throw io;
        } else if (t != null) {
            throw new IOException("backup failed: " + t, t);
        }
    }

    private Node stdinNode(InputStream in, String name) throws IOException {
        List<String> content = new ArrayList<>();
        double[] entropy = {-1};
        chunk(java.nio.channels.Channels.newChannel(in), content, entropy);
        files++;
        filesNew++;
        bytes += readBytes;
        long now = Instant.now().toEpochMilli() * 1_000_000L;
        return new Node(
                name, Node.FILE, 0640, now, 0, 0, readBytes, null, null, content, null, Math.max(0, entropy[0]));
    }

    /** What one stat of an entry tells. */
    private record Stat(
            boolean file,
            boolean dir,
            boolean link,
            long size,
            long mtime,
            long ctime,
            long inode,
            int mode,
            @Nullable String dos) {

        Node fileNode(String name, long length, @Nullable List<String> content, double entropy) {
            return new Node(name, Node.FILE, mode, mtime, ctime, inode, length, dos, null, content, null, entropy);
        }
    }

    private static volatile boolean unixView = true;

    /** One system call per entry where the file system has the unix view; basic and DOS attributes elsewhere. */
    private static Stat stat(Path path) throws IOException {
        if (unixView) {
            try {
                Map<String, Object> u = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
                return new Stat(
                        (Boolean) u.get("isRegularFile"),
                        (Boolean) u.get("isDirectory"),
                        (Boolean) u.get("isSymbolicLink"),
                        (Long) u.get("size"),
                        nanos((FileTime) u.get("lastModifiedTime")),
                        nanos((FileTime) u.get("ctime")),
                        ((Number) u.get("ino")).longValue(),
                        ((Integer) u.get("mode")) & 07777,
                        null);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                unixView = false;
            }
        }
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String dos = null;
        try {
            DosFileAttributes d = Files.readAttributes(path, DosFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            dos = (d.isReadOnly() ? "R" : "")
                    + (d.isHidden() ? "H" : "")
                    + (d.isSystem() ? "S" : "")
                    + (d.isArchive() ? "A" : "");
        } catch (UnsupportedOperationException | IOException e) {
            // neither unix nor DOS attributes
        }
        return new Stat(
                a.isRegularFile(),
                a.isDirectory(),
                a.isSymbolicLink(),
                a.size(),
                nanos(a.lastModifiedTime()),
                0,
                0,
                -1,
                dos);
    }

    static long nanos(FileTime t) {
        Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
