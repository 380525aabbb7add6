package jp.mamori.auditlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Tiles as files under a directory, at their C2SP tlog-tiles paths ({@code tile/0/x001/234.p/17}), so the
 * directory can be served as static files or put into an export. Writing a wider version of a tile removes
 * the narrower partial versions; reads of a narrower width are served from the wider file.
 */
public final class DirectoryTileStore implements TileStore {

    private final Path root;

    public DirectoryTileStore(Path root) {
        this.root = root;
    }

    @Override
    public byte[] read(int level, long index, int width) throws IOException {
        int length = width * Hashes.SIZE;
        byte[] exact = readIfPresent(root.resolve(Tile.path(level, index, width)));
        if (exact != null && exact.length == length) {
            return exact;
        }
        byte[] full = readIfPresent(root.resolve(Tile.path(level, index, Tile.WIDTH)));
        if (full != null && full.length >= length) {
            return Arrays.copyOf(full, length);
        }
        Path partials = partialDir(level, index);
        if (Files.isDirectory(partials)) {
            try (Stream<Path> s = Files.list(partials)) {
                List<Path> wider = s.filter(p -> parseWidth(p) >= width)
                        .sorted(Comparator.comparingInt(DirectoryTileStore::parseWidth))
                        .toList();
                for (Path p : wider) {
                    byte[] b = readIfPresent(p);
                    if (b != null && b.length >= length) {
                        return Arrays.copyOf(b, length);
                    }
                }
            }
        }
        return null;
    }

    @Override
    public void write(List<Tile> tiles) throws IOException {
        for (Tile t : tiles) {
            Path target = root.resolve(t.path());
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.write(tmp, t.hashes());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            removeNarrowerPartials(t);
        }
    }

    private void removeNarrowerPartials(Tile t) throws IOException {
        Path partials = partialDir(t.level(), t.index());
        if (!Files.isDirectory(partials)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(partials)) {
            for (Path p : ds) {
                int w = parseWidth(p);
                if (w > 0 && w < t.width()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (t.isFull()) {
            try {
                Files.deleteIfExists(partials);
            } catch (IOException notEmpty) {
                // a concurrent writer left a file; harmless, reads prefer the full tile
            }
        }
    }

    private Path partialDir(int level, long index) {
        return root.resolve(Tile.path(level, index, Tile.WIDTH) + ".p");
    }

    private static int parseWidth(Path p) {
        try {
            return Integer.parseInt(p.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] readIfPresent(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (Files.isDirectory(p)) {
                return null;
            }
            throw new UncheckedIOException(e);
        }
    }
}
