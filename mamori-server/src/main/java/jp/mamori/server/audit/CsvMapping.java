package jp.mamori.server.audit;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jp.mamori.auditlog.jcs.Json;
import jp.mamori.auditlog.jcs.JsonParseException;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.jspecify.annotations.Nullable;

/**
 * How the columns of one source system's access-log export (EHR, レセコン — the claims computer)
 * become access events. Columns are named by their header text, so the mapping holds for every file
 * the system exports. Values of the action and outcome columns are translated through value maps
 * (参照→read, 更新→update, …).
 *
 * @param timePattern a {@link DateTimeFormatter} pattern such as {@code yyyy/MM/dd HH:mm:ss}
 * @param timeZone the zone the export's times are written in, usually Asia/Tokyo
 * @param actionValues the export's words for read, create, update, delete and execute
 * @param outcomeValues the export's words for success and failure
 */
record CsvMapping(
        String timeColumn,
        String timePattern,
        String timeZone,
        String userColumn,
        @Nullable String userNameColumn,
        @Nullable String patientColumn,
        @Nullable String actionColumn,
        Map<String, String> actionValues,
        @Nullable String terminalColumn,
        @Nullable String recordColumn,
        @Nullable String outcomeColumn,
        Map<String, String> outcomeValues) {

    static final List<String> ACTIONS = List.of("read", "create", "update", "delete", "execute");
    static final List<String> OUTCOMES = List.of("success", "failure");

    CsvMapping {
        actionValues = Map.copyOf(actionValues);
        outcomeValues = Map.copyOf(outcomeValues);
    }

    /** A mapping the form or the stored JSON gave that cannot work, with what to change. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    /** One thing wrong with one line: the column (header text, or empty for the whole line) and what. */
    record Problem(String column, String message) {}

    /** Checks the mapping against a file's header; returns the column positions by name. */
    Map<String, Integer> bind(List<String> header) {
        if (timeColumn.isBlank() || userColumn.isBlank()) {
            throw new Invalid("The time column and the user ID column must be chosen");
        }
        formatter();
        zone();
        for (Map.Entry<String, String> v : actionValues.entrySet()) {
            if (!ACTIONS.contains(v.getValue())) {
                throw new Invalid(
                        "Action value \"" + v.getKey() + "\" maps to \"" + v.getValue() + "\"; use one of " + ACTIONS);
            }
        }
        for (Map.Entry<String, String> v : outcomeValues.entrySet()) {
            if (!OUTCOMES.contains(v.getValue())) {
                throw new Invalid("Outcome value \"" + v.getKey() + "\" maps to \"" + v.getValue() + "\"; use one of "
                        + OUTCOMES);
            }
        }
        Map<String, Integer> at = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            at.putIfAbsent(header.get(i), i);
        }
        for (String column : columns()) {
            if (!at.containsKey(column)) {
                throw new Invalid("Column \"" + column + "\" is not in the file's header " + header);
            }
        }
        return at;
    }

    private List<String> columns() {
        List<String> out = new ArrayList<>();
        for (String c : new String[] {
            timeColumn,
            userColumn,
            userNameColumn,
            patientColumn,
            actionColumn,
            terminalColumn,
            recordColumn,
            outcomeColumn
        }) {
            if (c != null && !c.isBlank()) {
                out.add(c);
            }
        }
        return out;
    }

    DateTimeFormatter formatter() {
        try {
            return DateTimeFormatter.ofPattern(timePattern, Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new Invalid("The time pattern \"" + timePattern + "\" is not valid: " + e.getMessage());
        }
    }

    ZoneId zone() {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new Invalid("The time zone \"" + timeZone + "\" is not known (for Japan: Asia/Tokyo)");
        }
    }

    /** A line's fields as an AuditEvent, or the problems that keep it from being one. */
    record Converted(@Nullable AuditEvent event, List<Problem> problems) {}

    Converted convert(List<String> fields, Map<String, Integer> at, String sourceSystem) {
        return convert(fields, at, sourceSystem, formatterForYears(), zone());
    }

    /** A reader of many lines: the time formatter and zone made once, for every line. */
    java.util.function.BiFunction<List<String>, Map<String, Integer>, Converted> converter(String sourceSystem) {
        DateTimeFormatter f = formatterForYears();
        ZoneId z = zone();
        return (fields, at) -> convert(fields, at, sourceSystem, f, z);
    }

    private Converted convert(
            List<String> fields, Map<String, Integer> at, String sourceSystem, DateTimeFormatter format, ZoneId zone) {
        List<Problem> problems = new ArrayList<>();
        AuditEvent e = new AuditEvent();
        String time = value(fields, at, timeColumn);
        if (time == null) {
            problems.add(new Problem(timeColumn, "no time given"));
        } else {
            try {
                // "u" in a pattern would be resolved strictly; "y" needs an era under STRICT, so
                // patterns are read with yyyy treated as the proleptic year.
                LocalDateTime local = LocalDateTime.parse(time, format);
                e.setRecorded(Date.from(local.atZone(zone).toInstant()));
            } catch (DateTimeParseException ex) {
                problems.add(new Problem(timeColumn, "\"" + time + "\" is not a time in the pattern " + timePattern));
            }
        }
        String user = value(fields, at, userColumn);
        if (user == null) {
            problems.add(new Problem(userColumn, "no user ID given"));
        }
        String action = "read";
        if (present(actionColumn)) {
            String raw = value(fields, at, actionColumn);
            String mapped = raw == null ? null : actionValues.getOrDefault(raw, ACTIONS.contains(raw) ? raw : null);
            if (mapped == null) {
                problems.add(new Problem(
                        actionColumn,
                        raw == null
                                ? "no action given"
                                : "\"" + raw + "\" is not in the action value map " + actionValues.keySet()));
            } else {
                action = mapped;
            }
        }
        String outcome = "success";
        if (present(outcomeColumn)) {
            String raw = value(fields, at, outcomeColumn);
            String mapped = raw == null ? null : outcomeValues.getOrDefault(raw, OUTCOMES.contains(raw) ? raw : null);
            if (mapped == null) {
                problems.add(new Problem(
                        outcomeColumn,
                        raw == null
                                ? "no outcome given"
                                : "\"" + raw + "\" is not in the outcome value map " + outcomeValues.keySet()));
            } else {
                outcome = mapped;
            }
        }
        if (!problems.isEmpty()) {
            return new Converted(null, problems);
        }
        e.setType(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110110", "Patient Record"));
        if (!action.equals("execute")) {
            e.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", action, action));
        }
        e.setAction(
                switch (action) {
                    case "create" -> AuditEvent.AuditEventAction.C;
                    case "update" -> AuditEvent.AuditEventAction.U;
                    case "delete" -> AuditEvent.AuditEventAction.D;
                    case "execute" -> AuditEvent.AuditEventAction.E;
                    default -> AuditEvent.AuditEventAction.R;
                });
        e.setOutcome(outcome.equals("success") ? AuditEvent.AuditEventOutcome._0 : AuditEvent.AuditEventOutcome._4);
        var agent = e.addAgent().setRequestor(true);
        agent.getWho().getIdentifier().setValue(user);
        String name = present(userNameColumn) ? value(fields, at, userNameColumn) : null;
        if (name != null) {
            agent.getWho().setDisplay(name);
        }
        String terminal = present(terminalColumn) ? value(fields, at, terminalColumn) : null;
        if (terminal != null) {
            agent.getNetwork().setAddress(terminal).setType(AuditEvent.AuditEventAgentNetworkType._1);
        }
        e.getSource().getObserver().setDisplay(sourceSystem).getIdentifier().setValue(sourceSystem);
        String patient = present(patientColumn) ? value(fields, at, patientColumn) : null;
        if (patient != null) {
            var entity = e.addEntity();
            entity.getWhat().getIdentifier().setValue(patient);
            entity.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"));
            entity.setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
        }
        String record = present(recordColumn) ? value(fields, at, recordColumn) : null;
        if (record != null) {
            var entity = e.addEntity();
            entity.getWhat().setDisplay(record);
            entity.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
        }
        return new Converted(e, problems);
    }

    private DateTimeFormatter formatterForYears() {
        return DateTimeFormatter.ofPattern(timePattern.replace('y', 'u'), Locale.ROOT)
                .withResolverStyle(ResolverStyle.STRICT);
    }

    private static boolean present(@Nullable String column) {
        return column != null && !column.isBlank();
    }

    private static @Nullable String value(List<String> fields, Map<String, Integer> at, String column) {
        String v = fields.get(at.get(column)).strip();
        return v.isEmpty() ? null : v;
    }

    /** Value maps as the form shows them: one {@code word=value} a line. */
    static Map<String, String> parseValues(String text, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\\R")) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            int eq = line.lastIndexOf('=');
            if (eq <= 0) {
                throw new Invalid("Line " + n + " of the " + what + " value map is not word=value: \"" + line + "\"");
            }
            out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return out;
    }

    static String formatValues(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    String toJson() {
        Map<String, Object> m = new TreeMap<>();
        m.put("timeColumn", timeColumn);
        m.put("timePattern", timePattern);
        m.put("timeZone", timeZone);
        m.put("userColumn", userColumn);
        put(m, "userNameColumn", userNameColumn);
        put(m, "patientColumn", patientColumn);
        put(m, "actionColumn", actionColumn);
        m.put("actionValues", new TreeMap<>(actionValues));
        put(m, "terminalColumn", terminalColumn);
        put(m, "recordColumn", recordColumn);
        put(m, "outcomeColumn", outcomeColumn);
        m.put("outcomeValues", new TreeMap<>(outcomeValues));
        return new String(Json.canonicalize(m), StandardCharsets.UTF_8);
    }

    private static void put(Map<String, Object> m, String key, @Nullable String value) {
        if (value != null && !value.isBlank()) {
            m.put(key, value);
        }
    }

    @SuppressWarnings("unchecked")
    static CsvMapping fromJson(String json) {
        try {
            Map<String, Object> m = (Map<String, Object>) Json.parse(json.getBytes(StandardCharsets.UTF_8));
            return new CsvMapping(
                    (String) m.get("timeColumn"),
                    (String) m.get("timePattern"),
                    (String) m.get("timeZone"),
                    (String) m.get("userColumn"),
                    (String) m.get("userNameColumn"),
                    (String) m.get("patientColumn"),
                    (String) m.get("actionColumn"),
                    strings(m.get("actionValues")),
                    (String) m.get("terminalColumn"),
                    (String) m.get("recordColumn"),
                    (String) m.get("outcomeColumn"),
                    strings(m.get("outcomeValues")));
        } catch (JsonParseException | ClassCastException e) {
            throw new IllegalStateException("A stored CSV mapping cannot be read: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> strings(@Nullable Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    /**
     * A first guess for a file no mapping exists for yet, from the usual Japanese column names of
     * EHR exports; the person checks it on the preview.
     */
    static CsvMapping guess(List<String> header) {
        return new CsvMapping(
                find(header, "日時", "日付", "時刻", "time", "date"),
                "yyyy/MM/dd HH:mm:ss",
                "Asia/Tokyo",
                find(header, "利用者ID", "ユーザーID", "ユーザID", "職員ID", "操作者ID", "user"),
                find(header, "氏名", "利用者名", "ユーザー名", "ユーザ名", "職員名", "name"),
                find(header, "患者ID", "患者番号", "患者", "patient"),
                find(header, "操作", "処理", "区分", "action"),
                new LinkedHashMap<>(
                        Map.of("参照", "read", "登録", "create", "更新", "update", "削除", "delete", "印刷", "execute")),
                find(header, "端末", "端末名", "端末ID", "terminal"),
                find(header, "記録", "画面", "文書", "対象", "record"),
                find(header, "結果", "outcome"),
                new LinkedHashMap<>(Map.of("成功", "success", "失敗", "failure")));
    }

    private static String find(List<String> header, String... names) {
        for (String name : names) {
            for (String h : header) {
                if (h.strip().equalsIgnoreCase(name)) {
                    return h;
                }
            }
        }
        for (String name : names) {
            for (String h : header) {
                if (h.toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT))) {
                    return h;
                }
            }
        }
        return "";
    }
}
