package jp.mamori.auditlog;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Tiles on the heap, for tests and for logs that are rebuilt at start. */
public final class InMemoryTileStore implements TileStore {

    private record Key(int level, long index) {}

    private final ConcurrentHashMap<Key, byte[]> tiles = new ConcurrentHashMap<>();

    @Override
    public byte[] read(int level, long index, int width) {
        byte[] stored = tiles.get(new Key(level, index));
        int length = width * Hashes.SIZE;
        if (stored == null || stored.length < length) {
            return null;
        }
        return Arrays.copyOf(stored, length);
    }

    @Override
    public void write(List<Tile> batch) {
        for (Tile t : batch) {
            tiles.merge(
                    new Key(t.level(), t.index()),
                    t.hashes().clone(),
                    (old, neu) -> neu.length >= old.length ? neu : old);
        }
    }
}
