package jp.mamori.backup.repository;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A repository in a local folder (or a mounted share). An object is written to a temporary file,
 * flushed to disk, then linked under its final name — the link fails if the name exists, so a
 * crash leaves either the whole object or none, and nothing is overwritten. Pack files are spread
 * over 256 sub-folders by the first two characters of their name.
 */
public final class LocalBackend implements Backend {

    private final Path root;

    public LocalBackend(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String location() {
        return root.toString();
    }

    Path path(ObjectKind kind, String name) {
        if (!ObjectNames.isValid(name)) {
            throw new IllegalArgumentException("not a valid object name: " + name);
        }
        Path folder = root.resolve(kind.folder());
        if (kind == ObjectKind.CONFIG) {
            return root.resolve(name);
        }
        if (kind == ObjectKind.PACK) {
            folder = folder.resolve(name.substring(0, 2));
        }
        return folder.resolve(name);
    }

    @Override
    public void create(ObjectKind kind, String name, byte[] content, @Nullable Instant retainUntil) throws IOException {
        Path target = path(kind, name);
        Files.createDirectories(target.getParent());
        Path tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
        Path temp = tmp.resolve(name + "." + UUID.randomUUID() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw new ObjectExistsException(kind, name);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncFolder(target.getParent());
    }

    private static void syncFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a folder; the file itself is already on disk.
        }
    }

    @Override
    public byte[] read(ObjectKind kind, String name) throws IOException {
        try {
            return Files.readAllBytes(path(kind, name));
        } catch (NoSuchFileException e) {
            throw new NoSuchObjectException(kind, name);
        }
    }

    @Override
    public byte[] read(ObjectKind kind, String name, long offset, int length) throws IOException {
        Path p = path(kind, name);
        FileChannel ch = channel(p, kind, name);
        long size = ch.size();
        if (offset + length > size) {
            throw new IOException(kind.folder() + "/" + name + " is " + size + " bytes, shorter than "
                    + (offset + length) + ": the object is truncated");
        }
        byte[] out = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(out);
        long at = offset;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new IOException(kind.folder() + "/" + name + " ended early: the object is truncated");
            }
            at += n;
        }
        return out;
    }

    /**
     * Objects read in parts — pack files, for trees and restores — stay open for the next read: a
     * restore or an incremental backup reads thousands of small blobs from the same few packs.
     * Positional reads on a {@link FileChannel} are safe from several threads.
     */
    private final java.util.Map<Path, FileChannel> open = new java.util.LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Path, FileChannel> eldest) {
            if (size() > 32) {
                closeQuietly(eldest.getValue());
                return true;
            }
            return false;
        }
    };

    private FileChannel channel(Path p, ObjectKind kind, String name) throws IOException {
        synchronized (open) {
            FileChannel ch = open.get(p);
            if (ch != null && ch.isOpen()) {
                return ch;
            }
            try {
                ch = FileChannel.open(p, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new NoSuchObjectException(kind, name);
            }
            open.put(p, ch);
            return ch;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only channel
        }
    }

    @Override
    public boolean exists(ObjectKind kind, String name) {
        return Files.exists(path(kind, name));
    }

    @Override
    public List<StoredObject> list(ObjectKind kind) throws IOException {
        List<StoredObject> out = new ArrayList<>();
        if (kind == ObjectKind.CONFIG) {
            Path p = root.resolve("config");
            if (Files.exists(p)) {
                out.add(new StoredObject("config", Files.size(p)));
            }
            return out;
        }
        Path folder = root.resolve(kind.folder());
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(folder, kind == ObjectKind.PACK ? 2 : 1)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)
                        && ObjectNames.isValid(p.getFileName().toString())) {
                    out.add(new StoredObject(p.getFileName().toString(), Files.size(p)));
                }
            }
        }
        return out;
    }

    @Override
    public void delete(ObjectKind kind, String name) throws IOException {
        synchronized (open) {
            FileChannel ch = open.remove(path(kind, name));
            if (ch != null) {
                closeQuietly(ch);
            }
        }
        if (!Files.deleteIfExists(path(kind, name))) {
            throw new NoSuchObjectException(kind, name);
        }
    }

    @Override
    public void close() {
        synchronized (open) {
            open.values().forEach(LocalBackend::closeQuietly);
            open.clear();
        }
    }
}
