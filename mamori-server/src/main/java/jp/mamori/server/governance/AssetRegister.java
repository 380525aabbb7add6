package jp.mamori.server.governance;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The asset register (機器台帳) that checklist item 2-① asks for: kept, changed with a record of each
 * change, imported and exported as CSV, and reviewed (点検) with a sign-off.
 */
@Service
class AssetRegister {

    /** Windows' Shift_JIS, as spreadsheet programs in Japan write it. */
    static final Charset SHIFT_JIS = Charset.forName("windows-31j");

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    record Asset(long id, Map<AssetField, @Nullable Object> values, Instant updatedAt, String updatedByName) {
        public String show(AssetField field) {
            return field.write(values.get(field));
        }

        public String name() {
            return show(AssetField.NAME);
        }
    }

    record Change(long id, String action, String changedByName, Instant changedAt, Map<String, Object> snapshot) {}

    record Review(LocalDate reviewedOn, String reviewedByName, @Nullable String note, int assetCount) {}

    /** One refused row of a file or form: the line (0 for a form) and what is wrong with which column. */
    record RowProblem(int line, AssetField.@Nullable Problem problem, String messageKey, String detail) {}

    static final class Refused extends RuntimeException {
        final List<RowProblem> problems;

        Refused(List<RowProblem> problems) {
            super("refused: " + problems.size() + " problems");
            this.problems = List.copyOf(problems);
        }
    }

    record ImportResult(int created, int changed) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecurityEvents events;
    private final JsonMapper json = JsonMapper.builder().build();

    AssetRegister(JdbcClient jdbc, Clock clock, SecurityEvents events) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
    }

    List<Asset> all() {
        return jdbc.sql("SELECT * FROM asset ORDER BY kind, lower(name)")
                .query(AssetRegister::map)
                .list();
    }

    Optional<Asset> byId(long id) {
        return jdbc.sql("SELECT * FROM asset WHERE id = ?")
                .param(id)
                .query(AssetRegister::map)
                .optional();
    }

    int count() {
        return jdbc.sql("SELECT count(*) FROM asset").query(Integer.class).single();
    }

    /** Reads a form's fields; every refused value is reported, not only the first. */
    static Map<AssetField, @Nullable Object> read(Map<String, String> params, int line) {
        Map<AssetField, @Nullable Object> values = new EnumMap<>(AssetField.class);
        List<RowProblem> problems = new ArrayList<>();
        for (AssetField f : AssetField.values()) {
            try {
                values.put(f, f.read(params.get(f.column)));
            } catch (AssetField.ValueRefused e) {
                problems.add(new RowProblem(line, e.problem, e.problem.messageKey(), e.problem.value()));
            }
        }
        if (!problems.isEmpty()) {
            throw new Refused(problems);
        }
        return values;
    }

    /** Creates ({@code id} null) or changes an asset. */
    @Transactional
    long save(@Nullable Long id, Map<AssetField, @Nullable Object> values, Answers.Person who) {
        Optional<Long> sameName = idByName((String) values.get(AssetField.NAME));
        if (sameName.isPresent() && !sameName.get().equals(id)) {
            throw new Refused(List.of(new RowProblem(
                    0, null, "governance.asset.error.duplicateName", (String) values.get(AssetField.NAME))));
        }
        long saved = write(id, values, who, id == null ? "CREATED" : "CHANGED");
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", id == null ? "asset_created" : "asset_changed")
                .detail("asset", saved)
                .build());
        return saved;
    }

    /**
     * Imports a CSV file (UTF-8 with or without BOM, or Shift_JIS) or an Excel workbook (first sheet): a row whose 名称 is already in the
     * register changes that asset, any other row adds one. If any row is refused, nothing is stored
     * and every refused row is reported with its line.
     */
    @Transactional
    ImportResult importFile(byte[] file, Answers.Person who) {
        if (file.length >= 4 && file[0] == 'P' && file[1] == 'K' && file[2] == 3 && file[3] == 4) {
            // an .xlsx file is a ZIP archive
            return importRecords(ExcelSheets.readRecords(file), who);
        }
        String text = decode(file);
        List<Csv.Record> records;
        try {
            records = Csv.read(text);
        } catch (IllegalArgumentException e) {
            throw new Refused(List.of(new RowProblem(0, null, "governance.asset.error.unclosedQuote", e.getMessage())));
        }
        return importRecords(records, who);
    }

    private ImportResult importRecords(List<Csv.Record> records, Answers.Person who) {
        if (records.isEmpty()) {
            throw new Refused(List.of(new RowProblem(0, null, "governance.asset.error.empty", "")));
        }
        Map<AssetField, Integer> columns = header(records.get(0));
        List<RowProblem> problems = new ArrayList<>();
        List<Map<AssetField, @Nullable Object>> rows = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, String> serials = new HashMap<>();
        for (Csv.Record r : records.subList(1, records.size())) {
            if (r.fields().stream().allMatch(String::isBlank)) {
                continue;
            }
            Map<String, String> params = new HashMap<>();
            for (var e : columns.entrySet()) {
                params.put(
                        e.getKey().column,
                        e.getValue() < r.fields().size() ? r.fields().get(e.getValue()) : "");
            }
            try {
                Map<AssetField, @Nullable Object> values = read(params, r.line());
                String name = ((String) values.get(AssetField.NAME)).toLowerCase(Locale.ROOT);
                if (!names.add(name)) {
                    problems.add(new RowProblem(r.line(), null, "governance.asset.error.duplicateInFile", (String)
                            values.get(AssetField.NAME)));
                }
                String serial = serialKey(values);
                if (serial != null) {
                    String before = serials.putIfAbsent(serial, name);
                    Optional<String> holder = nameBySerial(values);
                    if (before != null) {
                        problems.add(new RowProblem(r.line(), null, "governance.asset.error.serialInFile", (String)
                                values.get(AssetField.SERIAL)));
                    } else if (holder.isPresent() && !holder.get().equalsIgnoreCase(name)) {
                        problems.add(new RowProblem(r.line(), null, "governance.asset.error.serialTaken", (String)
                                values.get(AssetField.SERIAL)));
                    }
                }
                rows.add(values);
            } catch (Refused refused) {
                problems.addAll(refused.problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new Refused(problems);
        }
        int created = 0;
        int changed = 0;
        for (Map<AssetField, @Nullable Object> values : rows) {
            Optional<Long> existing = idByName((String) values.get(AssetField.NAME));
            write(existing.orElse(null), values, who, "IMPORTED");
            if (existing.isPresent()) {
                changed++;
            } else {
                created++;
            }
        }
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "asset_import")
                .detail("created", created)
                .detail("changed", changed)
                .build());
        return new ImportResult(created, changed);
    }

    /** The register as CSV in the given encoding; UTF-8 gets a BOM so that spreadsheet programs read it right. */
    byte[] exportCsv(Charset charset) {
        StringBuilder b = new StringBuilder();
        b.append(Csv.line(
                List.of(AssetField.values()).stream().map(AssetField::header).toList()));
        for (Asset a : all()) {
            b.append(Csv.line(List.of(AssetField.values()).stream().map(a::show).toList()));
        }
        byte[] body = b.toString().getBytes(charset);
        if (!charset.equals(StandardCharsets.UTF_8)) {
            return body;
        }
        byte[] out = new byte[BOM.length + body.length];
        System.arraycopy(BOM, 0, out, 0, BOM.length);
        System.arraycopy(body, 0, out, BOM.length, body.length);
        return out;
    }

    List<Change> history(long assetId) {
        return jdbc.sql("SELECT * FROM asset_history WHERE asset_id = ? ORDER BY id DESC")
                .param(assetId)
                .query((rs, n) -> new Change(
                        rs.getLong("id"),
                        rs.getString("action"),
                        rs.getString("changed_by_name"),
                        rs.getTimestamp("changed_at").toInstant(),
                        snapshot(rs.getString("snapshot"))))
                .list();
    }

    @Transactional
    void review(LocalDate reviewedOn, @Nullable String note, Answers.Person who) {
        LocalDate today = LocalDate.now(clock.withZone(Answers.JAPAN));
        if (reviewedOn.isAfter(today)) {
            throw new Refused(
                    List.of(new RowProblem(0, null, "governance.asset.error.reviewInFuture", reviewedOn.toString())));
        }
        jdbc.sql(
                        """
                        INSERT INTO asset_review (reviewed_on, reviewed_by, reviewed_by_name, note, asset_count, recorded_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(
                        reviewedOn,
                        who.accountId(),
                        who.displayName(),
                        note == null || note.isBlank() ? null : note.strip(),
                        count(),
                        Timestamp.from(clock.instant()))
                .update();
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "asset_register_reviewed")
                .build());
    }

    Optional<Review> latestReview() {
        return jdbc.sql("SELECT * FROM asset_review ORDER BY reviewed_on DESC, id DESC LIMIT 1")
                .query((rs, n) -> new Review(
                        rs.getDate("reviewed_on").toLocalDate(),
                        rs.getString("reviewed_by_name"),
                        rs.getString("note"),
                        rs.getInt("asset_count")))
                .optional();
    }

    /** UTF-8 (a BOM is dropped), else Shift_JIS; anything that is neither is refused. */
    static String decode(byte[] file) {
        if (file.length >= 3 && file[0] == BOM[0] && file[1] == BOM[1] && file[2] == BOM[2]) {
            return strict(StandardCharsets.UTF_8, ByteBuffer.wrap(file, 3, file.length - 3))
                    .orElseThrow(() -> new Refused(
                            List.of(new RowProblem(0, null, "governance.asset.error.encoding", "UTF-8 (BOM)"))));
        }
        return strict(StandardCharsets.UTF_8, ByteBuffer.wrap(file))
                .or(() -> strict(SHIFT_JIS, ByteBuffer.wrap(file)))
                .orElseThrow(() -> new Refused(
                        List.of(new RowProblem(0, null, "governance.asset.error.encoding", "UTF-8 / Shift_JIS"))));
    }

    private static Optional<String> strict(Charset charset, ByteBuffer bytes) {
        try {
            return Optional.of(charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static Map<AssetField, Integer> header(Csv.Record header) {
        Map<String, AssetField> byHeader = new HashMap<>();
        for (AssetField f : AssetField.values()) {
            byHeader.put(f.header, f);
            byHeader.put(f.column, f);
        }
        Map<AssetField, Integer> columns = new EnumMap<>(AssetField.class);
        List<RowProblem> problems = new ArrayList<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String h = header.fields().get(i).strip();
            AssetField f = byHeader.get(h);
            if (f == null) {
                problems.add(new RowProblem(header.line(), null, "governance.asset.error.unknownColumn", h));
            } else {
                columns.put(f, i);
            }
        }
        for (AssetField f : AssetField.values()) {
            if (f.required && !columns.containsKey(f)) {
                problems.add(new RowProblem(header.line(), null, "governance.asset.error.missingColumn", f.header));
            }
        }
        if (!problems.isEmpty()) {
            throw new Refused(problems);
        }
        return columns;
    }

    /** Maker and serial number together identify a device; null when the row has no serial. */
    private static @Nullable String serialKey(Map<AssetField, @Nullable Object> values) {
        Object serial = values.get(AssetField.SERIAL);
        if (serial == null || serial.toString().isBlank()) {
            return null;
        }
        Object maker = values.get(AssetField.MAKER);
        return (maker == null ? "" : maker.toString().strip().toLowerCase(Locale.ROOT)) + "\u0000"
                + serial.toString().strip().toLowerCase(Locale.ROOT);
    }

    /** The asset already registered with this maker and serial number, if any. */
    private Optional<String> nameBySerial(Map<AssetField, @Nullable Object> values) {
        Object maker = values.get(AssetField.MAKER);
        return jdbc.sql("SELECT name FROM asset WHERE lower(trim(serial)) = lower(trim(?))"
                        + " AND lower(trim(coalesce(maker, ''))) = lower(trim(?)) LIMIT 1")
                .params(values.get(AssetField.SERIAL), maker == null ? "" : maker.toString())
                .query(String.class)
                .optional();
    }

    private Optional<Long> idByName(String name) {
        return jdbc.sql("SELECT id FROM asset WHERE lower(name) = lower(?)")
                .param(name)
                .query(Long.class)
                .optional();
    }

    private long write(@Nullable Long id, Map<AssetField, @Nullable Object> values, Answers.Person who, String action) {
        Instant now = clock.instant();
        List<Object> params = new ArrayList<>();
        for (AssetField f : AssetField.values()) {
            Object v = values.get(f);
            params.add(v instanceof AssetField.Kind k ? k.name() : v instanceof LocalDate d ? Date.valueOf(d) : v);
        }
        params.add(Timestamp.from(now));
        params.add(who.displayName());
        String cols = List.of(AssetField.values()).stream().map(f -> f.column).collect(Collectors.joining(", "));
        long saved;
        if (id == null) {
            String marks = "?, ".repeat(AssetField.values().length + 2);
            saved = jdbc.sql("INSERT INTO asset (" + cols + ", updated_at, updated_by_name) VALUES ("
                            + marks.substring(0, marks.length() - 2) + ") RETURNING id")
                    .params(params)
                    .query(Long.class)
                    .single();
        } else {
            String sets = List.of(AssetField.values()).stream()
                    .map(f -> f.column + " = ?")
                    .collect(Collectors.joining(", "));
            params.add(id);
            int n = jdbc.sql("UPDATE asset SET " + sets + ", updated_at = ?, updated_by_name = ? WHERE id = ?")
                    .params(params)
                    .update();
            if (n == 0) {
                throw new Refused(
                        List.of(new RowProblem(0, null, "governance.asset.error.noSuchAsset", id.toString())));
            }
            saved = id;
        }
        Map<String, Object> snapshot = new LinkedHashMap<>();
        for (AssetField f : AssetField.values()) {
            snapshot.put(f.header, f.write(values.get(f)));
        }
        jdbc.sql(
                        """
                        INSERT INTO asset_history (asset_id, action, snapshot, changed_by, changed_by_name, changed_at)
                        VALUES (?, ?, ?::jsonb, ?, ?, ?)""")
                .params(
                        saved,
                        action,
                        json.writeValueAsString(snapshot),
                        who.accountId(),
                        who.displayName(),
                        Timestamp.from(now))
                .update();
        return saved;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> snapshot(String text) {
        return json.readValue(text, LinkedHashMap.class);
    }

    private static Asset map(ResultSet rs, int row) throws SQLException {
        Map<AssetField, @Nullable Object> values = new EnumMap<>(AssetField.class);
        for (AssetField f : AssetField.values()) {
            Object v =
                    switch (f.type) {
                        case KIND -> AssetField.Kind.valueOf(rs.getString(f.column));
                        case DATE -> {
                            Date d = rs.getDate(f.column);
                            yield d == null ? null : d.toLocalDate();
                        }
                        case BOOL -> rs.getBoolean(f.column);
                        default -> rs.getString(f.column);
                    };
            values.put(f, v);
        }
        return new Asset(
                rs.getLong("id"), values, rs.getTimestamp("updated_at").toInstant(), rs.getString("updated_by_name"));
    }
}
