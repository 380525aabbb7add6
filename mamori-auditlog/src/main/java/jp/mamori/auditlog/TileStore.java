package jp.mamori.auditlog;

import java.io.IOException;
import java.util.List;

/**
 * Where a {@link MerkleLog} keeps its hashes. Tiles are append-only: a wider version of a tile starts with
 * the same hashes as every narrower one, so a store may keep only the widest version it was given.
 * Implementations: {@link InMemoryTileStore}, {@link DirectoryTileStore}; a database-backed store keeps
 * one row per (level, index) with the widest hashes.
 */
public interface TileStore {

    /**
     * The first {@code width} hashes of tile ({@code level}, {@code index}), {@code width * 32} bytes,
     * taken from a stored version at least that wide; {@code null} when no such version is stored.
     */
    byte[] read(int level, long index, int width) throws IOException;

    /** Stores the tiles of one append, all or nothing where the store can. */
    void write(List<Tile> tiles) throws IOException;
}
