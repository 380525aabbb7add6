package jp.mamori.server.backup;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** What the monitor recorded, for the screens, the dashboard and the checklist. */
@Service
class RecordedBackups implements BackupEvidence {

    private final JdbcClient jdbc;
    private final WatchedRepositories repositories;

    RecordedBackups(JdbcClient jdbc, WatchedRepositories repositories) {
        this.jdbc = jdbc;
        this.repositories = repositories;
    }

    record Generation(
            String name,
            Instant takenAt,
            String kind,
            String host,
            String paths,
            long files,
            long bytes,
            long bytesAdded,
            boolean suspect,
            @Nullable String reasons,
            @Nullable Instant goneAt) {
        public String shortName() {
            return name.substring(0, 8);
        }
    }

    record DrillRow(
            String name,
            String generation,
            String kind,
            Instant startedAt,
            double seconds,
            long files,
            long bytes,
            boolean passed,
            boolean signatureValid) {}

    @Override
    public List<Repository> repositories() {
        List<Repository> out = new ArrayList<>();
        for (WatchedRepositories.Watched w : repositories.all()) {
            List<Dataset> datasets = jdbc.sql(
                            """
                            SELECT g.kind, count(*), max(g.taken_at),
                                   (SELECT n.files FROM backup_generation n WHERE n.repository_id = g.repository_id
                                        AND n.kind = g.kind AND n.gone_at IS NULL ORDER BY n.taken_at DESC LIMIT 1),
                                   (SELECT n.bytes FROM backup_generation n WHERE n.repository_id = g.repository_id
                                        AND n.kind = g.kind AND n.gone_at IS NULL ORDER BY n.taken_at DESC LIMIT 1)
                            FROM backup_generation g WHERE g.repository_id = ? AND g.gone_at IS NULL
                            GROUP BY g.repository_id, g.kind ORDER BY g.kind""")
                    .param(w.id())
                    .query((rs, i) -> new Dataset(
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getTimestamp(3).toInstant(),
                            rs.getLong(4),
                            rs.getLong(5)))
                    .list();
            Drill last = jdbc.sql(
                            """
                            SELECT started_at, generation_kind, passed, signature_valid, seconds FROM backup_drill
                            WHERE repository_id = ? ORDER BY started_at DESC LIMIT 1""")
                    .param(w.id())
                    .query((rs, i) -> new Drill(
                            rs.getTimestamp(1).toInstant(),
                            rs.getString(2),
                            rs.getBoolean(3),
                            rs.getBoolean(4),
                            rs.getDouble(5)))
                    .optional()
                    .orElse(null);
            long suspects = jdbc.sql(
                            """
                            SELECT count(*) FROM backup_generation WHERE repository_id = ? AND suspect
                            AND gone_at IS NULL""")
                    .param(w.id())
                    .query(Long.class)
                    .single();
            out.add(new Repository(
                    w.name(), w.location(), w.locked(), w.checkedAt(), w.lastError(), datasets, last, suspects));
        }
        return out;
    }

    List<Generation> generations(long repositoryId, Instant since) {
        return jdbc.sql(
                        """
                        SELECT name, taken_at, kind, host, paths, files, bytes, bytes_added, suspect, reasons, gone_at
                        FROM backup_generation WHERE repository_id = ? AND taken_at >= ?
                        ORDER BY taken_at DESC""")
                .params(repositoryId, java.sql.Timestamp.from(since))
                .query(RecordedBackups::generation)
                .list();
    }

    List<DrillRow> drills(long repositoryId) {
        return jdbc.sql(
                        """
                        SELECT name, generation, generation_kind, started_at, seconds, files, bytes, passed,
                               signature_valid
                        FROM backup_drill WHERE repository_id = ? ORDER BY started_at DESC LIMIT 50""")
                .param(repositoryId)
                .query((rs, i) -> new DrillRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getDouble(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getBoolean(8),
                        rs.getBoolean(9)))
                .list();
    }

    private static Generation generation(ResultSet rs, int i) throws SQLException {
        return new Generation(
                rs.getString(1),
                rs.getTimestamp(2).toInstant(),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8),
                rs.getBoolean(9),
                rs.getString(10),
                rs.getTimestamp(11) == null ? null : rs.getTimestamp(11).toInstant());
    }
}
