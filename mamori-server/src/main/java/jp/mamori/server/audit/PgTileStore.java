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

    /** All tiles of one append in one statement: one round trip however many levels changed. */
    @Override
    public void write(List<Tile> tiles) {
        if (tiles.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO audit_tile (log_id, level, idx, width, hashes) VALUES ");
        List<Object> params = new java.util.ArrayList<>(tiles.size() * 5);
        for (Tile t : tiles) {
            sql.append(params.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?)");
            params.addAll(List.of(logId, t.level(), t.index(), t.width(), t.hashes()));
        }
        sql.append(
                """
                 ON CONFLICT (log_id, level, idx) DO UPDATE SET width = excluded.width, hashes = excluded.hashes
                WHERE audit_tile.width < excluded.width""");
        jdbc.sql(sql.toString()).params(params).update();
    }
}
