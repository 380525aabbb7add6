package jp.mamori.server.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.mamori.auditlog.Tile;
import jp.mamori.auditlog.TileStore;

/**
 * Recently used hash tiles of the logs, in memory. Tiles only ever grow (a wider version starts with
 * the hashes of every narrower one), so a cached tile stays true whatever other server instances
 * append; tiles enter the cache only after the transaction that wrote them has committed.
 */
final class TileCache {

    private record Key(int log, int level, long index) {}

    private final Map<Key, byte[]> tiles = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
            return size() > 4096;
        }
    };

    synchronized byte[] get(int log, int level, long index, int width) {
        byte[] t = tiles.get(new Key(log, level, index));
        if (t == null || t.length < width * 32) {
            return null;
        }
        return t.length == width * 32 ? t.clone() : java.util.Arrays.copyOf(t, width * 32);
    }

    synchronized void put(int log, Tile tile) {
        Key k = new Key(log, tile.level(), tile.index());
        byte[] old = tiles.get(k);
        if (old == null || old.length < tile.hashes().length) {
            tiles.put(k, tile.hashes().clone());
        }
    }

    /** A store that reads through this cache and remembers what it wrote, to be published on commit. */
    TileStore over(TileStore store, int log, List<Tile> written) {
        return new TileStore() {
            @Override
            public byte[] read(int level, long index, int width) throws java.io.IOException {
                byte[] cached = get(log, level, index, width);
                if (cached != null) {
                    return cached;
                }
                for (Tile t : written) {
                    if (t.level() == level && t.index() == index && t.width() >= width) {
                        return java.util.Arrays.copyOf(t.hashes(), width * 32);
                    }
                }
                byte[] read = store.read(level, index, width);
                if (read != null) {
                    put(log, new Tile(level, index, width, read));
                }
                return read;
            }

            @Override
            public void write(List<Tile> tiles) throws java.io.IOException {
                store.write(tiles);
                written.addAll(tiles);
            }
        };
    }

    void publish(int log, List<Tile> written) {
        for (Tile t : new ArrayList<>(written)) {
            put(log, t);
        }
    }
}
