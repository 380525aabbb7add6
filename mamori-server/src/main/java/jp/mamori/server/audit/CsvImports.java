package jp.mamori.server.audit;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jp.mamori.server.platform.MamoriProperties;
import org.hl7.fhir.r4.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Imports of access-log exports (CSV or TSV) from EHRs and レセコン: an uploaded file is kept until it
 * is imported, previewed through its source system's column mapping, then read in the background.
 * Good lines are stored in batches through the same append as every other channel; bad lines are
 * recorded with their line number, column and problem, and nothing is stored for them. Each line's
 * source event ID is its line number and a hash of its bytes, so importing the same file again, or a
 * later export that only grew at its end, stores nothing twice.
 */
@Service
class CsvImports {

    static final int BATCH = 1000;
    static final int PREVIEW_ROWS = 5;
    static final Charset SHIFT_JIS = Charset.forName("windows-31j");
    private static final Logger LOG = LoggerFactory.getLogger(CsvImports.class);

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.JdbcTemplate batchJdbc;
    private final AccessEvents events;
    private final SecurityEvents securityEvents;
    private final Path folder;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "csv-import");
        t.setDaemon(true);
        return t;
    });

    CsvImports(
            JdbcClient jdbc,
            org.springframework.jdbc.core.JdbcTemplate batchJdbc,
            AccessEvents events,
            SecurityEvents securityEvents,
            MamoriProperties properties) {
        this.jdbc = jdbc;
        this.batchJdbc = batchJdbc;
        this.events = events;
        this.securityEvents = securityEvents;
        this.folder = properties.dataDir().resolve("audit-import");
    }

    /** An uploaded file and where its import stands. */
    record Upload(
            long id,
            String sourceSystem,
            String fileName,
            String sha256,
            long bytes,
            long bytesRead,
            String encoding,
            String delimiter,
            String state,
            long linesRead,
            long stored,
            long duplicates,
            long failed,
            @Nullable String message,
            Instant createdAt) {

        public int percent() {
            return state.equals("DONE") ? 100 : (int) (bytes == 0 ? 0 : bytesRead * 100 / bytes);
        }

        public boolean running() {
            return state.equals("RUNNING");
        }

        Charset charset() {
            return encoding.equals("UTF-8") ? StandardCharsets.UTF_8 : SHIFT_JIS;
        }

        byte delimiterByte() {
            return (byte) (delimiter.equals("tab") ? '\t' : ',');
        }
    }

    /** One line that was not stored. */
    record LineError(long line, String column, String message) {}

    /** An upload's header and first lines, as the mapping turns them into events. */
    record Preview(List<String> header, List<PreviewRow> rows, @Nullable String mappingProblem) {}

    record PreviewRow(long line, List<String> fields, @Nullable AuditEvent event, List<CsvMapping.Problem> problems) {

        /** The event as the preview shows it: its time in Japan, user, patient and action. */
        public String summary() {
            if (event == null) {
                return "";
            }
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                            .format(event.getRecorded().toInstant().atZone(java.time.ZoneId.of("Asia/Tokyo")))
                    + " JST · "
                    + event.getAgentFirstRep().getWho().getIdentifier().getValue()
                    + (AccessEvents.patientOf(event) == null ? "" : " → " + AccessEvents.patientOf(event))
                    + " · " + event.getAction().getDisplay();
        }
    }

    /** A file that cannot be imported at all (no header, empty, unreadable), with why. */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    /** Server restarts end running imports; they are marked so and can be started again from a new upload. */
    @EventListener(ApplicationReadyEvent.class)
    void markInterrupted() {
        jdbc.sql(
                        """
                        UPDATE audit_import SET state = 'FAILED', finished_at = now(),
                          message = 'interrupted by a server restart; upload the file again (lines already stored are skipped)'
                        WHERE state = 'RUNNING'""")
                .update();
    }

    /**
     * Keeps an uploaded file for preview. {@code encoding} is auto, UTF-8 or windows-31j; {@code
     * delimiter} auto, comma or tab.
     */
    long upload(
            String sourceSystem, String fileName, InputStream content, String encoding, String delimiter, String who)
            throws IOException {
        if (sourceSystem.isBlank()) {
            throw new Unreadable("Name the source system (the EHR or レセコン the file comes from)");
        }
        Files.createDirectories(folder);
        Path tmp = Files.createTempFile(folder, "upload-", ".part");
        MessageDigest sha = sha256();
        long bytes;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = content.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                total += n;
            }
            bytes = total;
        }
        if (bytes == 0) {
            Files.delete(tmp);
            throw new Unreadable("The file is empty");
        }
        byte[] head = readHead(tmp);
        String charset = encoding.equals("auto") ? detectEncoding(head) : encoding;
        if (!charset.equals("UTF-8") && !charset.equals("windows-31j")) {
            Files.delete(tmp);
            throw new Unreadable("Unknown encoding " + encoding + "; choose UTF-8 or Shift_JIS (windows-31j)");
        }
        String sep = delimiter.equals("auto") ? detectDelimiter(head) : delimiter;
        long id = jdbc.sql(
                        """
                        INSERT INTO audit_import (source_system, file_name, file_sha256, file_bytes, encoding, delimiter,
                          state, created_by) VALUES (?, ?, ?, ?, ?, ?, 'PREVIEW', ?) RETURNING id""")
                .params(
                        sourceSystem.strip(),
                        fileName,
                        HexFormat.of().formatHex(sha.digest()),
                        bytes,
                        charset,
                        sep.equals("tab") ? "tab" : "comma",
                        who)
                .query(Long.class)
                .single();
        Files.move(tmp, file(id));
        return id;
    }

    private static byte[] readHead(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(1 << 20);
        }
    }

    /**
     * UTF-8 when the file starts with a byte order mark or when most of its first lines with
     * non-ASCII text are valid UTF-8; Shift_JIS (windows-31j, as Japanese Windows writes it) otherwise.
     */
    static String detectEncoding(byte[] head) {
        if (head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            return "UTF-8";
        }
        int utf8 = 0;
        int other = 0;
        int start = 0;
        for (int i = 0; i <= head.length; i++) {
            if (i == head.length || head[i] == '\n') {
                byte[] line = java.util.Arrays.copyOfRange(head, start, i);
                if (nonAscii(line)) {
                    if (isUtf8(line)) {
                        utf8++;
                    } else if (i < head.length) {
                        other++;
                    }
                }
                start = i + 1;
            }
        }
        return utf8 >= other && utf8 > 0 ? "UTF-8" : other > 0 ? "windows-31j" : "UTF-8";
    }

    static String detectDelimiter(byte[] head) {
        int tabs = 0;
        int commas = 0;
        for (byte b : head) {
            if (b == '\n') {
                break;
            }
            tabs += b == '\t' ? 1 : 0;
            commas += b == ',' ? 1 : 0;
        }
        return tabs > commas ? "tab" : "comma";
    }

    /**
     * Whether the bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
     * past U+10FFFF), checked without a decoder, which would throw on every Shift_JIS line.
     */
    static boolean isUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            int n;
            int min;
            if (c < 0x80) {
                i++;
                continue;
            } else if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + n >= b.length) {
                return false;
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += n + 1;
        }
        return true;
    }

    private static boolean nonAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    /** The bytes decoded, or null when they are not valid in the charset. */
    static @Nullable String strictly(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    Optional<Upload> find(long id) {
        return jdbc.sql("SELECT * FROM audit_import WHERE id = ?")
                .param(id)
                .query((rs, n) -> new Upload(
                        rs.getLong("id"),
                        rs.getString("source_system"),
                        rs.getString("file_name"),
                        rs.getString("file_sha256"),
                        rs.getLong("file_bytes"),
                        rs.getLong("bytes_read"),
                        rs.getString("encoding"),
                        rs.getString("delimiter"),
                        rs.getString("state"),
                        rs.getLong("lines_read"),
                        rs.getLong("stored"),
                        rs.getLong("duplicates"),
                        rs.getLong("failed"),
                        rs.getString("message"),
                        rs.getTimestamp("created_at").toInstant()))
                .optional();
    }

    List<Upload> latest(int limit) {
        List<Long> ids = jdbc.sql("SELECT id FROM audit_import ORDER BY id DESC LIMIT ?")
                .param(limit)
                .query(Long.class)
                .list();
        List<Upload> out = new ArrayList<>();
        ids.forEach(id -> find(id).ifPresent(out::add));
        return out;
    }

    Optional<CsvMapping> mappingOf(String sourceSystem) {
        return jdbc.sql("SELECT mapping FROM audit_csv_mapping WHERE source_system = ?")
                .param(sourceSystem)
                .query(String.class)
                .optional()
                .map(CsvMapping::fromJson);
    }

    List<String> sourceSystems() {
        return jdbc.sql("SELECT source_system FROM audit_csv_mapping ORDER BY source_system")
                .query(String.class)
                .list();
    }

    private void saveMapping(String sourceSystem, CsvMapping mapping, String who) {
        jdbc.sql(
                        """
                        INSERT INTO audit_csv_mapping (source_system, mapping, updated_by) VALUES (?, ?, ?)
                        ON CONFLICT (source_system) DO UPDATE SET mapping = excluded.mapping,
                          updated_by = excluded.updated_by, updated_at = now()""")
                .params(sourceSystem, mapping.toJson(), who)
                .update();
    }

    /** The header of an upload, for the mapping form. */
    List<String> header(Upload upload) {
        try (DelimitedReader reader = new DelimitedReader(file(upload.id()), upload.delimiterByte())) {
            return header(reader, upload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> header(DelimitedReader reader, Upload upload) throws IOException {
        DelimitedReader.Row first = reader.next();
        if (first == null) {
            throw new Unreadable("The file has no header line");
        }
        if (!(first instanceof DelimitedReader.Record r)) {
            DelimitedReader.Broken b = (DelimitedReader.Broken) first;
            throw new Unreadable("The header line cannot be read: " + b.problem());
        }
        List<String> header = new ArrayList<>();
        for (int i = 0; i < r.fields().size(); i++) {
            String name = strictly(r.fields().get(i), upload.charset());
            if (name == null) {
                throw new Unreadable("The header line is not " + upload.encoding() + "; choose the other encoding");
            }
            header.add(i == 0 ? name.replace("\uFEFF", "").strip() : name.strip());
        }
        return header;
    }

    /** The first lines of the upload as the mapping reads them. */
    Preview preview(Upload upload, CsvMapping mapping) {
        try (DelimitedReader reader = new DelimitedReader(file(upload.id()), upload.delimiterByte())) {
            List<String> header = header(reader, upload);
            Map<String, Integer> at;
            String mappingProblem = null;
            try {
                at = mapping.bind(header);
            } catch (CsvMapping.Invalid e) {
                at = null;
                mappingProblem = e.getMessage();
            }
            List<PreviewRow> rows = new ArrayList<>();
            for (DelimitedReader.Row row; rows.size() < PREVIEW_ROWS && (row = reader.next()) != null; ) {
                Line line = line(row, header, upload);
                if (!line.problems().isEmpty() || at == null) {
                    rows.add(new PreviewRow(row.line(), line.fields(), null, line.problems()));
                } else {
                    CsvMapping.Converted c = mapping.convert(line.fields(), at, upload.sourceSystem());
                    rows.add(new PreviewRow(row.line(), line.fields(), c.event(), c.problems()));
                }
            }
            return new Preview(header, rows, mappingProblem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A row's fields decoded, or what keeps it from being read. */
    private record Line(List<String> fields, List<CsvMapping.Problem> problems) {}

    private static Line line(DelimitedReader.Row row, List<String> header, Upload upload) {
        if (row instanceof DelimitedReader.Broken b) {
            return new Line(List.of(), List.of(new CsvMapping.Problem(columnName(header, b.field()), b.problem())));
        }
        DelimitedReader.Record r = (DelimitedReader.Record) row;
        if (r.fields().size() != header.size()) {
            return new Line(
                    List.of(),
                    List.of(new CsvMapping.Problem(
                            "", "the line has " + r.fields().size() + " columns, the header has " + header.size())));
        }
        if (upload.charset().equals(SHIFT_JIS) && nonAscii(r.raw()) && isUtf8(r.raw())) {
            // UTF-8 Japanese mostly decodes as some Shift_JIS text too; only this test tells them apart.
            return new Line(
                    List.of(),
                    List.of(new CsvMapping.Problem(
                            "", "the line is written in UTF-8, the file in Shift_JIS (wrong encoding)")));
        }
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < r.fields().size(); i++) {
            String v = strictly(r.fields().get(i), upload.charset());
            if (v == null) {
                return new Line(
                        List.of(),
                        List.of(new CsvMapping.Problem(
                                header.get(i), "the bytes are not valid " + upload.encoding() + " (wrong encoding)")));
            }
            fields.add(v);
        }
        return new Line(fields, List.of());
    }

    private static String columnName(List<String> header, int field) {
        return field >= 1 && field <= header.size() ? header.get(field - 1) : "";
    }

    /**
     * Saves the mapping for the upload's source system and starts the import in the background.
     * Refuses a mapping that does not fit the file, and an upload that is already running or done.
     */
    void start(Upload upload, CsvMapping mapping, String who) {
        List<String> header = header(upload);
        Map<String, Integer> at = mapping.bind(header);
        saveMapping(upload.sourceSystem(), mapping, who);
        int claimed = jdbc.sql("UPDATE audit_import SET state = 'RUNNING' WHERE id = ? AND state = 'PREVIEW'")
                .param(upload.id())
                .update();
        if (claimed == 0) {
            throw new Unreadable("This upload was already imported; upload the file again to import it again");
        }
        securityEvents.record(SecurityEvent.success(SecurityEventType.ACCESS_LOG_IMPORT)
                .account(null, who)
                .detail("sourceSystem", upload.sourceSystem())
                .detail("file", upload.fileName())
                .detail("sha256", upload.sha256())
                .build());
        runner.submit(() -> run(upload, mapping, header, at));
    }

    private void run(Upload upload, CsvMapping mapping, List<String> header, Map<String, Integer> at) {
        long read = 0;
        long stored = 0;
        long duplicates = 0;
        long failed = 0;
        try (DelimitedReader reader = new DelimitedReader(file(upload.id()), upload.delimiterByte())) {
            header(reader, upload);
            List<FacilityLog.Entry> batch = new ArrayList<>(BATCH);
            List<LineError> errors = new ArrayList<>();
            var converter = mapping.converter(upload.sourceSystem());
            for (DelimitedReader.Row row; (row = reader.next()) != null; ) {
                read++;
                List<CsvMapping.Problem> problems = new ArrayList<>();
                Line line = line(row, header, upload);
                problems.addAll(line.problems());
                if (problems.isEmpty()) {
                    CsvMapping.Converted c = converter.apply(line.fields(), at);
                    problems.addAll(c.problems());
                    if (c.event() != null) {
                        String id = sourceEventId(row.line(), ((DelimitedReader.Record) row).raw());
                        try {
                            batch.add(events.prepare(
                                    c.event(),
                                    AccessEvents.jsonOf(c.event()),
                                    events.now(),
                                    new AccessEvents.Arrival("csv", upload.sourceSystem(), id, false),
                                    "line " + row.line() + ": "));
                        } catch (AccessEvents.Rejected e) {
                            problems.add(new CsvMapping.Problem("", e.getMessage()));
                        }
                    }
                }
                if (!problems.isEmpty()) {
                    failed++;
                    for (CsvMapping.Problem p : problems) {
                        errors.add(new LineError(row.line(), p.column(), p.message()));
                    }
                }
                if (batch.size() >= BATCH || errors.size() >= BATCH) {
                    long[] r = flush(batch);
                    stored += r[0];
                    duplicates += r[1];
                    saveErrors(upload.id(), errors);
                    progress(upload.id(), reader.position(), read, stored, duplicates, failed);
                }
            }
            long[] r = flush(batch);
            stored += r[0];
            duplicates += r[1];
            saveErrors(upload.id(), errors);
            progress(upload.id(), reader.position(), read, stored, duplicates, failed);
            jdbc.sql("UPDATE audit_import SET state = 'DONE', finished_at = now() WHERE id = ?")
                    .param(upload.id())
                    .update();
            LOG.info(
                    "Import {} of {} done: {} lines, {} stored, {} already stored, {} failed",
                    upload.id(),
                    upload.sourceSystem(),
                    read,
                    stored,
                    duplicates,
                    failed);
        } catch (RuntimeException | IOException e) {
            // The message names the import, never a line's content.
            LOG.error(
                    "Import {} stopped after {} lines: {}",
                    upload.id(),
                    read,
                    e.getClass().getSimpleName());
            jdbc.sql(
                            """
                            UPDATE audit_import SET state = 'FAILED', finished_at = now(), message = ?, lines_read = ?,
                              stored = ?, duplicates = ?, failed = ? WHERE id = ?""")
                    .params(
                            "stopped after " + read + " lines: " + e.getClass().getSimpleName()
                                    + "; the lines stored so far stay stored, importing the file again skips them",
                            read,
                            stored,
                            duplicates,
                            failed,
                            upload.id())
                    .update();
        } finally {
            try {
                Files.deleteIfExists(file(upload.id()));
            } catch (IOException e) {
                LOG.warn("Uploaded file of import {} could not be removed", upload.id());
            }
        }
    }

    /** Appends the batch; returns {stored, duplicates} and empties it. */
    private long[] flush(List<FacilityLog.Entry> batch) {
        if (batch.isEmpty()) {
            return new long[] {0, 0};
        }
        long stored = 0;
        long duplicates = 0;
        for (long index : events.append(batch)) {
            if (index == FacilityLog.DUPLICATE) {
                duplicates++;
            } else {
                stored++;
            }
        }
        batch.clear();
        return new long[] {stored, duplicates};
    }

    private void saveErrors(long importId, List<LineError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(errors.size());
        for (LineError e : errors) {
            rows.add(new Object[] {importId, e.line(), e.column(), e.message()});
        }
        batchJdbc.batchUpdate(
                "INSERT INTO audit_import_error (import_id, line, column_name, message) VALUES (?, ?, ?, ?)", rows);
        errors.clear();
    }

    private void progress(long id, long bytesRead, long read, long stored, long duplicates, long failed) {
        jdbc.sql(
                        """
                        UPDATE audit_import SET bytes_read = ?, lines_read = ?, stored = ?, duplicates = ?, failed = ?
                        WHERE id = ?""")
                .params(bytesRead, read, stored, duplicates, failed, id)
                .update();
    }

    List<LineError> errors(long importId, int limit) {
        return jdbc.sql(
                        "SELECT line, column_name, message FROM audit_import_error WHERE import_id = ? ORDER BY line LIMIT ?")
                .params(importId, limit)
                .query((rs, n) -> new LineError(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list();
    }

    /**
     * A line's name in its source: its line number and the SHA-256 of its bytes. The same line of the
     * same file is the same event; identical lines at different places stay different events.
     */
    static String sourceEventId(long line, byte[] raw) {
        return "L" + line + ":" + HexFormat.of().formatHex(sha256().digest(raw), 0, 16);
    }

    private Path file(long id) {
        return folder.resolve(id + ".csv");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }
}
