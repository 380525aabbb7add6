package jp.mamori.server.audit;

import java.util.List;
import jp.mamori.auditlog.Tile;
import jp.mamori.auditlog.TileStore;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Hash tiles of one log in PostgreSQL: one row per tile, holding its widest version. Used inside
 * the appending transaction, so tiles and events commit together.
 */
final class PgTileStore implements TileStore {

    private final JdbcClient jdbc;
    private final int logId;

    PgTileStore(JdbcClient jdbc, int logId) {
        this.jdbc = jdbc;
        this.logId = logId;
    }

    @Override
    public byte[] read(int level, long index, int width) {
        byte[] hashes = jdbc.sql(
                        "SELECT hashes FROM audit_tile WHERE log_id = ? AND level = ? AND idx = ? AND width >= ?")
                .params(logId, level, index, width)
                .query(byte[].class)
                .optional()
                .orElse(null);
        if (hashes == null) {
            return null;
        }
        return hashes.length == width * 32 ? hashes : java.util.Arrays.copyOf(hashes, width * 32);
    }

    @Override
    public void write(List<Tile> tiles) {
        for (Tile t : tiles) {
            jdbc.sql(
                            """
                            INSERT INTO audit_tile (log_id, level, idx, width, hashes) VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT (log_id, level, idx) DO UPDATE SET width = excluded.width, hashes = excluded.hashes
                            WHERE audit_tile.width < excluded.width""")
                    .params(logId, t.level(), t.index(), t.width(), t.hashes())
                    .update();
        }
    }
}
