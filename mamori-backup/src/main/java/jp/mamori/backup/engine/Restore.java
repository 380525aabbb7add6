package jp.mamori.backup.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.mamori.backup.chunker.FastCdc;
import jp.mamori.backup.repository.BlobEntry;
import jp.mamori.backup.repository.BlobId;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;
import jp.mamori.backup.snapshot.Node;
import jp.mamori.backup.snapshot.Snapshot;
import jp.mamori.backup.snapshot.Tree;
import org.jspecify.annotations.Nullable;

/**
 * Restores a generation, a part of it, or the files of it since a date, into a target folder. Work
 * is planned per pack: each pack is read once and every blob in it is written to each place it
 * belongs, so a restore reads the repository sequentially whatever the file layout. Every blob is
 * checked against its keyed ID on the way, so what is written is what was backed up.
 */
public final class Restore {

    /**
     * @param include a path inside the generation (such as {@code ssmix2/000/123}) to restore only
     *     that part, or null for everything
     * @param since restore only files from this date on: for an SS-MIX2 generation by the date
     *     folder of the standardized storage, otherwise by modification time
     * @param verify after writing, read every restored file back and compare its chunk IDs
     */
    public record Options(
            String generation,
            Path target,
            @Nullable String include,
            @Nullable LocalDate since,
            boolean verify,
            int workers) {

        public static Options of(String generation, Path target) {
            return new Options(
                    generation, target, null, null, false, Runtime.getRuntime().availableProcessors());
        }

        public Options withInclude(@Nullable String i) {
            return new Options(generation, target, i, since, verify, workers);
        }

        public Options withSince(@Nullable LocalDate s) {
            return new Options(generation, target, include, s, verify, workers);
        }

        public Options withVerify(boolean v) {
            return new Options(generation, target, include, since, v, workers);
        }
    }

    public record Result(String generation, long files, long dirs, long bytes, double seconds, List<String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private record Planned(Path path, Node node) {}

    private record Placement(BlobEntry entry, int file, long offset) {}

    /** An SS-MIX2 standardized-storage date folder: eight digits, yyyyMMdd. */
    private static final Pattern SSMIX2_DATE = Pattern.compile("(?:^|/)((?:19|20)\\d{6})(?:/|$)");

    private final Repository repo;
    private final Generations generations;
    private final Progress progress;
    private List<String> errors = new ArrayList<>();

    public Restore(Repository repo, Progress progress) {
        this.repo = repo;
        this.generations = new Generations(repo);
        this.progress = progress;
    }

    public Result run(Options o) throws IOException {
        long start = System.nanoTime();
        repo.loadIndex();
        Generations.Named g = generations.resolve(o.generation());
        Snapshot s = g.snapshot();
        Path target = o.target().toAbsolutePath().normalize();
        Files.createDirectories(target);
        List<Planned> files = new ArrayList<>();
        List<Planned> dirs = new ArrayList<>();
        List<Planned> links = new ArrayList<>();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        this.errors = errors;
        String include = o.include() == null ? null : trimSlashes(o.include());
        try (TreePrefetch trees = new TreePrefetch(generations, Math.max(2, o.workers()), 4096)) {
            this.trees = trees;
            walk(trees.take(s.tree()), "", target, include, o.since(), "ssmix2".equals(s.kind()), files, dirs, links);
        }

        Map<String, List<Placement>> byPack = new HashMap<>();
        long total = 0;
        remaining = new AtomicIntegerArray(files.size());
        posix = target.getFileSystem().supportedFileAttributeViews().contains("posix")
                && Files.getFileStore(target).supportsFileAttributeView("posix");
        dos = Files.getFileStore(target).supportsFileAttributeView("dos");
        List<Planned> empty = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Planned f = files.get(i);
            remaining.set(i, f.node().content().size());
            // Folders exist from the walk. A file of one chunk is created by the write that fills it;
            // others are created empty here, so several pack workers can fill their parts.
            if (f.node().content().size() != 1) {
                try (FileChannel ch = FileChannel.open(
                        f.path(),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    // content follows per pack
                }
            }
            long offset = 0;
            for (String id : f.node().content()) {
                BlobEntry e = repo.find(BlobId.parse(id));
                if (e == null) {
                    errors.add(f.path() + ": chunk " + id.substring(0, 12) + " is missing from the repository");
                    break;
                }
                byPack.computeIfAbsent(e.pack(), k -> new ArrayList<>()).add(new Placement(e, i, offset));
                offset += e.rawLength();
            }
            if (f.node().content().isEmpty()) {
                empty.add(f);
            }
            total += f.node().size();
        }
        progress.total(files.size(), total);
        for (Planned f : empty) {
            finish(f, 0);
        }

        // Writing many small files waits on the file system more than on the CPU: more workers than cores.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(4, 2 * o.workers()));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Map.Entry<String, List<Placement>> p : byPack.entrySet()) {
                done.add(pool.submit(() -> {
                    try {
                        restorePack(p.getKey(), p.getValue(), files);
                    } catch (IOException e) {
                        errors.add(e.getMessage());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            done.clear();
            for (int i = 0; i < files.size(); i++) {
                if (remaining.get(i) != 0) {
                    errors.add(files.get(i).path() + ": not restored");
                }
            }
            if (o.verify()) {
                for (Planned f : files) {
                    done.add(pool.submit(() -> {
                        verify(f, errors);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                done.clear();
            }
            for (Planned l : links) {
                Files.createDirectories(l.path().getParent());
                Files.deleteIfExists(l.path());
                Files.createSymbolicLink(l.path(), Path.of(l.node().linkTarget()));
            }
            // A folder's time changes with every entry made in it: set it once everything is written,
            // several folders at a time. Modes last and deepest first, so that a folder closed to its
            // owner does not stop the ones below it from being reached.
            int slice = Math.max(1, dirs.size() / 8);
            for (int from = 0; from < dirs.size(); from += slice) {
                List<Planned> part = dirs.subList(from, Math.min(dirs.size(), from + slice));
                done.add(pool.submit(() -> {
                    for (Planned d : part) {
                        setTimes(d.path(), d.node());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            for (int i = dirs.size() - 1; i >= 0; i--) {
                setMode(dirs.get(i).path(), dirs.get(i).node());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("restore interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("restore failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        progress.done();
        return new Result(
                g.name(),
                files.size(),
                dirs.size(),
                restoredBytes.get(),
                (System.nanoTime() - start) / 1e9,
                List.copyOf(errors));
    }

    private void walk(
            Tree tree,
            String rel,
            Path target,
            @Nullable String include,
            @Nullable LocalDate since,
            boolean ssmix2,
            List<Planned> files,
            List<Planned> dirs,
            List<Planned> links)
            throws IOException {
        List<String> subtrees = new ArrayList<>();
        for (Node n : tree.nodes()) {
            if (n.isDir() && n.subtree() != null) {
                String path = rel.isEmpty() ? n.name() : rel + "/" + n.name();
                if (include == null
                        || path.equals(include)
                        || path.startsWith(include + "/")
                        || include.startsWith(path + "/")) {
                    subtrees.add(n.subtree());
                }
            }
        }
        trees.ahead(subtrees);
        for (Node n : tree.nodes()) {
            String path = rel.isEmpty() ? n.name() : rel + "/" + n.name();
            if (n.name().contains("/") || n.name().equals("..") || n.name().equals(".")) {
                throw new IOException("generation holds an unsafe name: " + path);
            }
            boolean inside = include == null || path.equals(include) || path.startsWith(include + "/");
            boolean ancestor = include != null && include.startsWith(path + "/");
            if (!inside && !ancestor) {
                continue;
            }
            Path out = target.resolve(path);
            if (n.isDir()) {
                if (inside) {
                    makeDirectory(out);
                    dirs.add(new Planned(out, n));
                }
                Tree sub;
                try {
                    sub = trees.take(n.subtree());
                } catch (IOException e) {
                    // Restore what can be restored; say what cannot.
                    errors.add(path + "/: " + e.getMessage());
                    continue;
                }
                walk(sub, path, target, include, since, ssmix2, files, dirs, links);
            } else if (inside && n.isFile() && wanted(path, n, since, ssmix2)) {
                files.add(new Planned(out, n));
            } else if (inside && Node.SYMLINK.equals(n.type())) {
                links.add(new Planned(out, n));
            }
        }
    }

    static boolean wanted(String path, Node n, @Nullable LocalDate since, boolean ssmix2) {
        if (since == null) {
            return true;
        }
        if (ssmix2) {
            Matcher m = SSMIX2_DATE.matcher(path);
            if (m.find()) {
                String d = m.group(1);
                LocalDate date = LocalDate.of(
                        Integer.parseInt(d.substring(0, 4)),
                        Integer.parseInt(d.substring(4, 6)),
                        Integer.parseInt(d.substring(6, 8)));
                return !date.isBefore(since);
            }
        }
        Instant mtime = Instant.ofEpochSecond(0, n.mtime());
        return !mtime.isBefore(since.atStartOfDay(ZoneId.systemDefault()).toInstant());
    }

    private void restorePack(String pack, List<Placement> placements, List<Planned> files) throws IOException {
        placements.sort((a, b) -> Integer.compare(a.entry().offset(), b.entry().offset()));
        long needed = 0;
        int lastEnd = 0;
        for (Placement p : placements) {
            needed += p.entry().length();
            lastEnd = Math.max(lastEnd, p.entry().offset() + p.entry().length());
        }
        byte[] whole = needed * 2 >= lastEnd ? repo.backend().read(ObjectKind.PACK, pack, 0, lastEnd) : null;
        // A blob used at several places (a repeated chunk) is opened once.
        Map<BlobId, Integer> uses = new HashMap<>();
        for (Placement p : placements) {
            uses.merge(p.entry().id(), 1, Integer::sum);
        }
        Map<BlobId, byte[]> opened = new HashMap<>();
        for (Placement p : placements) {
            BlobEntry e = p.entry();
            byte[] plain = opened.get(e.id());
            if (plain == null) {
                plain = whole != null
                        ? repo.open(e, whole, e.offset())
                        : repo.open(e, repo.backend().read(ObjectKind.PACK, pack, e.offset(), e.length()), 0);
                if (uses.get(e.id()) > 1) {
                    opened.put(e.id(), plain);
                }
            }
            Planned file = files.get(p.file());
            try (FileChannel ch = file.node().content().size() == 1
                    ? FileChannel.open(
                            file.path(),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)
                    : FileChannel.open(file.path(), StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(plain);
                long pos = p.offset();
                while (buf.hasRemaining()) {
                    pos += ch.write(buf, pos);
                }
                if (remaining.decrementAndGet(p.file()) == 0) {
                    ch.close();
                    finish(file, Files.size(file.path()));
                }
            }
            progress.bytes(plain.length);
        }
    }

    /** The last chunk of a file is written: check its length and give it its times and mode. */
    private void finish(Planned f, long size) throws IOException {
        if (f.node().content().isEmpty()) {
            try (FileChannel ch = FileChannel.open(
                    f.path(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                // an empty file
            }
        }
        if (size != f.node().size()) {
            errors.add(f.path() + ": restored " + size + " bytes, the generation holds "
                    + f.node().size());
        }
        restoredBytes.addAndGet(size);
        setMetadata(f.path(), f.node());
        progress.file();
    }

    /** Makes a folder whose parent exists (the walk goes top down), or accepts one that is there. */
    private static void makeDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
        } catch (java.nio.file.NoSuchFileException e) {
            Files.createDirectories(dir);
        }
    }

    private void verify(Planned f, List<String> errors) throws IOException {
        var config = repo.config();
        FastCdc cdc = new FastCdc(config.chunkMin(), config.chunkAvg(), config.chunkMax(), config.chunkerSeed());
        byte[] data = Files.readAllBytes(f.path());
        List<String> ids = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            int n = cdc.cut(data, pos, data.length - pos);
            ids.add(BlobId.of(repo.crypto().id(data, pos, n)).hex());
            pos += n;
        }
        if (!ids.equals(f.node().content())) {
            errors.add(f.path() + ": restored content does not match the generation's checksums");
        }
    }

    private boolean posix;
    private boolean dos;
    private TreePrefetch trees;
    /** Per planned file: chunks not yet written. */
    private AtomicIntegerArray remaining = new AtomicIntegerArray(0);

    private final AtomicLong restoredBytes = new AtomicLong();

    private void setMetadata(Path path, Node n) {
        setTimes(path, n);
        setMode(path, n);
    }

    private void setMode(Path path, Node n) {
        try {
            if (n.mode() >= 0 && posix) {
                Files.setPosixFilePermissions(path, permissions(n.mode()));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // metadata is best effort; content was checked
        }
    }

    private void setTimes(Path path, Node n) {
        try {
            Files.setLastModifiedTime(path, FileTime.from(Instant.ofEpochSecond(0, n.mtime())));
            if (n.dosAttributes() != null && dos) {
                Files.setAttribute(path, "dos:readonly", n.dosAttributes().contains("R"), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "dos:hidden", n.dosAttributes().contains("H"), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "dos:system", n.dosAttributes().contains("S"), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "dos:archive", n.dosAttributes().contains("A"), LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // metadata is best effort; content was checked
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << i)) != 0) {
                p.add(order[i]);
            }
        }
        return p;
    }

    private static String trimSlashes(String s) {
        String t = s;
        while (t.startsWith("/")) t = t.substring(1);
        while (t.endsWith("/")) t = t.substring(0, t.length() - 1);
        return t;
    }
}
