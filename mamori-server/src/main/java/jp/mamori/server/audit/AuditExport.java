package jp.mamori.server.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import jp.mamori.auditlog.DirectoryTileStore;
import jp.mamori.auditlog.Tile;
import jp.mamori.auditlog.checkpoint.NoteFormatException;
import jp.mamori.auditlog.checkpoint.SignedNote;
import jp.mamori.auditlog.export.ExportWriter;
import jp.mamori.auditlog.jcs.JsonParseException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Writes the facility log in the export format of {@code docs/audit-log-format.md}: every event in
 * index order as stored, every signed checkpoint and the verifier key, for the offline verifier.
 */
@Service
public class AuditExport {

    private final FacilityLog log;
    private final JdbcClient jdbc;

    AuditExport(FacilityLog log, JdbcClient jdbc) {
        this.log = log;
        this.jdbc = jdbc;
    }

    /** Writes the export into {@code dir}, which must not exist yet or be empty. */
    public void writeTo(Path dir) throws IOException {
        log.checkpoint();
        int id = log.id();
        try (ExportWriter writer = ExportWriter.create(dir, log.verifier())) {
            LeafHashes leafHashes = new LeafHashes(id);
            jdbc.sql("SELECT body, leaf_index FROM audit_event WHERE log_id = ? ORDER BY leaf_index")
                    .param(id)
                    .query(rs -> {
                        try {
                            String body = rs.getString(1);
                            if (body == null) {
                                // Expired: the body is gone, the leaf hash in the tiles is what the tree needs.
                                writer.expiredEvent(leafHashes.of(rs.getLong(2)));
                            } else {
                                writer.event(body.getBytes(StandardCharsets.UTF_8));
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } catch (JsonParseException e) {
                            throw new IllegalStateException("A stored event is not JSON: " + e.getMessage(), e);
                        }
                    });
            for (String note : jdbc.sql("SELECT note FROM audit_checkpoint WHERE log_id = ? ORDER BY tree_size")
                    .param(id)
                    .query(String.class)
                    .list()) {
                try {
                    writer.checkpointAsStored(SignedNote.parse(note));
                } catch (NoteFormatException e) {
                    throw new IllegalStateException("A stored checkpoint cannot be read: " + e.getMessage(), e);
                }
            }
        }
        // The hash tiles as the server stored them when each event was appended, not as they would be
        // recomputed from the events now: the verifier compares each event with them, which names the
        // first changed event exactly; tiles changed along with the events no longer match the
        // signed checkpoints.
        List<Tile> stored = jdbc.sql("SELECT level, idx, width, hashes FROM audit_tile WHERE log_id = ?")
                .param(id)
                .query((rs, n) -> new Tile(rs.getInt(1), rs.getLong(2), rs.getInt(3), rs.getBytes(4)))
                .list();
        new DirectoryTileStore(dir).write(stored);
    }

    /** Leaf hashes read from the stored level-0 tiles, one tile at a time as the export walks the log. */
    private final class LeafHashes {
        private final int logId;
        private long tile = -1;
        private byte[] hashes = new byte[0];

        LeafHashes(int logId) {
            this.logId = logId;
        }

        byte[] of(long index) {
            long wanted = index / 256;
            if (wanted != tile) {
                hashes = jdbc.sql("SELECT hashes FROM audit_tile WHERE log_id = ? AND level = 0 AND idx = ?")
                        .params(logId, wanted)
                        .query(byte[].class)
                        .optional()
                        .orElseThrow(() ->
                                new IllegalStateException("The hash tile of expired event " + index + " is missing"));
                tile = wanted;
            }
            int offset = (int) (index % 256) * 32;
            if (offset + 32 > hashes.length) {
                throw new IllegalStateException("The hash tile of expired event " + index + " is too short");
            }
            return java.util.Arrays.copyOfRange(hashes, offset, offset + 32);
        }
    }

    /** The export as one zip file. */
    public void writeZip(OutputStream out) throws IOException {
        Path dir = Files.createTempDirectory("mamori-audit-export-");
        try {
            Path export = dir.resolve("export");
            writeTo(export);
            try (ZipOutputStream zip = new ZipOutputStream(out);
                    Stream<Path> files = Files.walk(export)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    zip.putNextEntry(
                            new ZipEntry(export.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, zip);
                    zip.closeEntry();
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
