package jp.mamori.server.governance;

import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.governance.ConnectionForm.ConnectionDraft;
import jp.mamori.server.governance.ConnectionForm.Problem;
import jp.mamori.server.governance.ConnectionForm.Refused;
import jp.mamori.server.governance.ConnectionForm.SegmentDraft;
import jp.mamori.server.governance.NetworkConnections.AssetRef;
import jp.mamori.server.governance.NetworkConnections.Connection;
import jp.mamori.server.governance.NetworkConnections.Kind;
import jp.mamori.server.governance.NetworkConnections.Review;
import jp.mamori.server.governance.NetworkConnections.Segment;
import jp.mamori.server.governance.NetworkConnections.Zone;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The connections register (外部接続台帳): network segments and the connections between them and to
 * the outside, kept with a whole copy of every change, signed off (点検) as a whole, and exported as
 * CSV. Every change is written to the access log.
 */
@Service
class ConnectionRegister {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecurityEvents events;
    private final JsonMapper json = JsonMapper.builder().build();

    ConnectionRegister(JdbcClient jdbc, Clock clock, SecurityEvents events) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(Answers.JAPAN));
    }

    // --- segments ---

    List<Segment> segments() {
        List<Segment> all = jdbc.sql("SELECT * FROM network_segment ORDER BY lower(name)")
                .query(ConnectionRegister::segment)
                .list();
        List<Segment> sorted = new ArrayList<>(all);
        // zone order first, so the page and the diagram list the clinical networks before the rest
        sorted.sort(java.util.Comparator.comparing(Segment::zone));
        return sorted;
    }

    Optional<Segment> segment(long id) {
        return jdbc.sql("SELECT * FROM network_segment WHERE id = ?")
                .param(id)
                .query(ConnectionRegister::segment)
                .optional();
    }

    @Transactional
    long saveSegment(@Nullable Long id, SegmentDraft d, Answers.Person who) {
        Optional<Long> same = jdbc.sql("SELECT id FROM network_segment WHERE lower(name) = lower(?)")
                .param(d.name())
                .query(Long.class)
                .optional();
        if (same.isPresent() && !same.get().equals(id)) {
            throw new Refused("name", "connections.error.duplicateSegment", d.name());
        }
        Timestamp now = Timestamp.from(clock.instant());
        long saved;
        if (id == null) {
            saved = jdbc.sql(
                            """
                            INSERT INTO network_segment (name, cidr, purpose, vlan, zone, notes, updated_at, updated_by_name)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                    .params(
                            d.name(),
                            d.cidr(),
                            d.purpose(),
                            d.vlan(),
                            d.zone().name(),
                            d.notes(),
                            now,
                            who.displayName())
                    .query(Long.class)
                    .single();
        } else {
            int n = jdbc.sql(
                            """
                            UPDATE network_segment SET name = ?, cidr = ?, purpose = ?, vlan = ?, zone = ?, notes = ?,
                                updated_at = ?, updated_by_name = ? WHERE id = ?""")
                    .params(
                            d.name(),
                            d.cidr(),
                            d.purpose(),
                            d.vlan(),
                            d.zone().name(),
                            d.notes(),
                            now,
                            who.displayName(),
                            id)
                    .update();
            if (n == 0) {
                throw new Refused("id", "connections.error.noSuchSegment", String.valueOf(id));
            }
            saved = id;
        }
        Segment s = segment(saved).orElseThrow();
        history("SEGMENT", saved, id == null ? "CREATED" : "CHANGED", snapshot(s), who);
        log(who, id == null ? "segment_created" : "segment_changed", "segment", saved);
        return saved;
    }

    /** Removes a segment that no connection uses; its history stays. */
    @Transactional
    void removeSegment(long id, Answers.Person who) {
        Segment s =
                segment(id).orElseThrow(() -> new Refused("id", "connections.error.noSuchSegment", String.valueOf(id)));
        long used = jdbc.sql("SELECT count(*) FROM network_connection WHERE from_segment_id = ? OR to_segment_id = ?")
                .params(id, id)
                .query(Long.class)
                .single();
        if (used > 0) {
            throw new Refused("id", "connections.error.segmentInUse", s.name(), used);
        }
        history("SEGMENT", id, "REMOVED", snapshot(s), who);
        jdbc.sql("DELETE FROM network_segment WHERE id = ?").param(id).update();
        log(who, "segment_removed", "segment", id);
    }

    // --- connections ---

    List<Connection> connections() {
        return load("", List.of());
    }

    Optional<Connection> connection(long id) {
        return load(" WHERE c.id = ?", List.of(id)).stream().findFirst();
    }

    int connectionCount() {
        return jdbc.sql("SELECT count(*) FROM network_connection")
                .query(Integer.class)
                .single();
    }

    @Transactional
    long saveConnection(@Nullable Long id, ConnectionDraft d, Answers.Person who) {
        List<Problem> problems = new ArrayList<>();
        if (d.fromSegmentId() != null && segment(d.fromSegmentId()).isEmpty()) {
            problems.add(new Problem(
                    "fromSegment", "connections.error.noSuchSegment", List.of(String.valueOf(d.fromSegmentId()))));
        }
        if (d.toSegmentId() != null && segment(d.toSegmentId()).isEmpty()) {
            problems.add(new Problem(
                    "toSegment", "connections.error.noSuchSegment", List.of(String.valueOf(d.toSegmentId()))));
        }
        List<Long> assetIds = new ArrayList<>();
        for (String name : d.assetNames()) {
            Optional<Long> asset = jdbc.sql("SELECT id FROM asset WHERE lower(name) = lower(?)")
                    .param(name)
                    .query(Long.class)
                    .optional();
            if (asset.isEmpty()) {
                problems.add(new Problem("assets", "connections.error.noSuchAsset", List.of(name)));
            } else if (!assetIds.contains(asset.get())) {
                assetIds.add(asset.get());
            }
        }
        Optional<Long> same = jdbc.sql("SELECT id FROM network_connection WHERE lower(name) = lower(?)")
                .param(d.name())
                .query(Long.class)
                .optional();
        if (same.isPresent() && !same.get().equals(id)) {
            problems.add(new Problem("name", "connections.error.duplicateConnection", List.of(d.name())));
        }
        if (!problems.isEmpty()) {
            throw new Refused(problems);
        }
        Timestamp now = Timestamp.from(clock.instant());
        Object[] values = {
            d.name(),
            d.kind().name(),
            d.fromSegmentId(),
            d.toSegmentId(),
            d.externalParty(),
            d.vendorName(),
            joined(d.vendorAccounts()),
            d.method(),
            joined(d.sources()),
            d.authentication(),
            d.alwaysOn(),
            d.owner(),
            d.notes(),
            d.reviewedOn() == null ? null : Date.valueOf(d.reviewedOn()),
            now,
            who.displayName()
        };
        long saved;
        try {
            if (id == null) {
                saved = jdbc.sql(
                                """
                                INSERT INTO network_connection (name, kind, from_segment_id, to_segment_id, external_party,
                                    vendor_name, vendor_accounts, method, source_restriction, authentication, always_on,
                                    owner, notes, reviewed_on, updated_at, updated_by_name)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                        .params(values)
                        .query(Long.class)
                        .single();
            } else {
                List<Object> params = new ArrayList<>(java.util.Arrays.asList(values));
                params.add(id);
                int n = jdbc.sql(
                                """
                                UPDATE network_connection SET name = ?, kind = ?, from_segment_id = ?, to_segment_id = ?,
                                    external_party = ?, vendor_name = ?, vendor_accounts = ?, method = ?,
                                    source_restriction = ?, authentication = ?, always_on = ?, owner = ?, notes = ?,
                                    reviewed_on = ?, updated_at = ?, updated_by_name = ? WHERE id = ?""")
                        .params(params)
                        .update();
                if (n == 0) {
                    throw new Refused("id", "connections.error.noSuchConnection", String.valueOf(id));
                }
                saved = id;
                jdbc.sql("DELETE FROM network_connection_asset WHERE connection_id = ?")
                        .param(id)
                        .update();
                jdbc.sql("DELETE FROM maintenance_window WHERE connection_id = ?")
                        .param(id)
                        .update();
            }
        } catch (DuplicateKeyException e) {
            // someone else stored the same name in the same moment
            throw new Refused("name", "connections.error.duplicateConnection", d.name());
        }
        for (Long asset : assetIds) {
            jdbc.sql("INSERT INTO network_connection_asset (connection_id, asset_id) VALUES (?, ?)")
                    .params(saved, asset)
                    .update();
        }
        int position = 0;
        for (MaintenanceWindow w : d.windows()) {
            jdbc.sql(
                            """
                            INSERT INTO maintenance_window (connection_id, position, weekday, on_date, starts_at, ends_at, reference)
                            VALUES (?, ?, ?, ?, ?, ?, ?)""")
                    .params(
                            saved,
                            position++,
                            w.weekday() == null ? null : w.weekday().getValue(),
                            w.date() == null ? null : Date.valueOf(w.date()),
                            Time.valueOf(w.start()),
                            Time.valueOf(w.end()),
                            w.reference())
                    .update();
        }
        Connection c = connection(saved).orElseThrow();
        history("CONNECTION", saved, id == null ? "CREATED" : "CHANGED", snapshot(c), who);
        log(who, id == null ? "connection_created" : "connection_changed", "connection", saved);
        return saved;
    }

    /** Removes a connection that no longer exists (回線の廃止); its history stays. */
    @Transactional
    void removeConnection(long id, Answers.Person who) {
        Connection c = connection(id)
                .orElseThrow(() -> new Refused("id", "connections.error.noSuchConnection", String.valueOf(id)));
        history("CONNECTION", id, "REMOVED", snapshot(c), who);
        jdbc.sql("DELETE FROM network_connection WHERE id = ?").param(id).update();
        log(who, "connection_removed", "connection", id);
    }

    List<NetworkConnections.Change> history(String subject, long id) {
        return jdbc.sql("SELECT * FROM connection_history WHERE subject = ? AND subject_id = ? ORDER BY id DESC")
                .params(subject, id)
                .query((rs, n) -> new NetworkConnections.Change(
                        rs.getLong("id"),
                        rs.getString("action"),
                        rs.getString("changed_by_name"),
                        rs.getTimestamp("changed_at").toInstant(),
                        readSnapshot(rs.getString("snapshot"))))
                .list();
    }

    // --- review ---

    @Transactional
    void review(LocalDate reviewedOn, @Nullable String note, Answers.Person who) {
        if (reviewedOn.isAfter(today())) {
            throw new Refused("reviewedOn", "connections.error.future", reviewedOn.toString());
        }
        jdbc.sql(
                        """
                        INSERT INTO connection_review (reviewed_on, reviewed_by, reviewed_by_name, note, connection_count, recorded_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(
                        Date.valueOf(reviewedOn),
                        who.accountId(),
                        who.displayName(),
                        note == null || note.isBlank() ? null : note.strip(),
                        connectionCount(),
                        Timestamp.from(clock.instant()))
                .update();
        log(who, "connections_reviewed", "reviewed_on", reviewedOn.toString());
    }

    Optional<Review> latestReview() {
        return jdbc.sql("SELECT * FROM connection_review ORDER BY reviewed_on DESC, id DESC LIMIT 1")
                .query((rs, n) -> new Review(
                        rs.getDate("reviewed_on").toLocalDate(),
                        rs.getString("reviewed_by_name"),
                        rs.getString("note"),
                        rs.getInt("connection_count")))
                .optional();
    }

    // --- export ---

    static final List<String> CSV_HEADERS = List.of(
            "名称",
            "種別",
            "接続元区画",
            "接続先区画",
            "外部の接続先",
            "事業者",
            "事業者アカウント",
            "接続方式",
            "接続元制限",
            "認証方式",
            "常時接続",
            "到達する機器",
            "承認時間帯",
            "管理者",
            "備考",
            "確認日",
            "指摘");

    /** The connections as CSV in UTF-8 with a BOM, so that spreadsheet programs in Japan read it right. */
    byte[] exportCsv() {
        StringBuilder b = new StringBuilder();
        b.append(Csv.line(CSV_HEADERS));
        for (Connection c : connections()) {
            b.append(Csv.line(List.copyOf(
                    snapshot(c).values().stream().map(String::valueOf).toList())));
        }
        byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[BOM.length + body.length];
        System.arraycopy(BOM, 0, out, 0, BOM.length);
        System.arraycopy(body, 0, out, BOM.length, body.length);
        return out;
    }

    // --- helpers ---

    private List<Connection> load(String where, List<Object> params) {
        Map<Long, List<AssetRef>> assets = new HashMap<>();
        jdbc.sql(
                        """
                        SELECT ca.connection_id, a.id, a.name FROM network_connection_asset ca
                        JOIN asset a ON a.id = ca.asset_id ORDER BY lower(a.name)""")
                .query(rs -> {
                    assets.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new AssetRef(rs.getLong(2), rs.getString(3)));
                });
        Map<Long, List<MaintenanceWindow>> windows = new HashMap<>();
        jdbc.sql("SELECT * FROM maintenance_window ORDER BY connection_id, position")
                .query(rs -> {
                    Date date = rs.getDate("on_date");
                    int day = rs.getInt("weekday");
                    DayOfWeek weekday = rs.wasNull() ? null : DayOfWeek.of(day);
                    windows.computeIfAbsent(rs.getLong("connection_id"), k -> new ArrayList<>())
                            .add(new MaintenanceWindow(
                                    weekday,
                                    date == null ? null : date.toLocalDate(),
                                    rs.getTime("starts_at").toLocalTime(),
                                    rs.getTime("ends_at").toLocalTime(),
                                    rs.getString("reference")));
                });
        return jdbc.sql(
                        """
                        SELECT c.*, f.name AS from_name, t.name AS to_name FROM network_connection c
                        JOIN network_segment f ON f.id = c.from_segment_id
                        LEFT JOIN network_segment t ON t.id = c.to_segment_id"""
                                + where + " ORDER BY c.kind, lower(c.name)")
                .params(params)
                .query((rs, n) -> connection(
                        rs,
                        assets.getOrDefault(rs.getLong("id"), List.of()),
                        windows.getOrDefault(rs.getLong("id"), List.of())))
                .list();
    }

    private static Connection connection(ResultSet rs, List<AssetRef> assets, List<MaintenanceWindow> windows)
            throws SQLException {
        Date reviewed = rs.getDate("reviewed_on");
        long to = rs.getLong("to_segment_id");
        Long toId = rs.wasNull() ? null : to;
        return new Connection(
                rs.getLong("id"),
                rs.getString("name"),
                Kind.valueOf(rs.getString("kind")),
                rs.getLong("from_segment_id"),
                rs.getString("from_name"),
                toId,
                rs.getString("to_name"),
                rs.getString("external_party"),
                rs.getString("vendor_name"),
                split(rs.getString("vendor_accounts")),
                rs.getString("method"),
                split(rs.getString("source_restriction")),
                rs.getString("authentication"),
                rs.getBoolean("always_on"),
                List.copyOf(assets),
                List.copyOf(windows),
                rs.getString("owner"),
                rs.getString("notes"),
                reviewed == null ? null : reviewed.toLocalDate(),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getString("updated_by_name"));
    }

    private static Segment segment(ResultSet rs, int row) throws SQLException {
        int vlan = rs.getInt("vlan");
        Integer v = rs.wasNull() ? null : vlan;
        return new Segment(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("cidr"),
                rs.getString("purpose"),
                v,
                Zone.valueOf(rs.getString("zone")),
                rs.getString("notes"),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getString("updated_by_name"));
    }

    private static @Nullable String joined(List<String> items) {
        return items.isEmpty() ? null : String.join("\n", items);
    }

    private static List<String> split(@Nullable String text) {
        return text == null ? List.of() : List.of(text.split("\n"));
    }

    /** A whole copy of a connection under the CSV's headers, as history and export show it. */
    static Map<String, Object> snapshot(Connection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("名称", c.name());
        m.put("種別", c.kind().label());
        m.put("接続元区画", c.fromSegment());
        m.put("接続先区画", nz(c.toSegment()));
        m.put("外部の接続先", nz(c.externalParty()));
        m.put("事業者", nz(c.vendorName()));
        m.put("事業者アカウント", String.join("\n", c.vendorAccounts()));
        m.put("接続方式", nz(c.method()));
        m.put("接続元制限", String.join("\n", c.sources()));
        m.put("認証方式", nz(c.authentication()));
        m.put("常時接続", c.alwaysOn() ? "常時接続" : "都度接続");
        m.put(
                "到達する機器",
                String.join("\n", c.assets().stream().map(AssetRef::name).toList()));
        m.put("承認時間帯", c.windowsShown());
        m.put("管理者", nz(c.owner()));
        m.put("備考", nz(c.notes()));
        m.put("確認日", c.reviewedOn() == null ? "" : c.reviewedOn().toString());
        m.put(
                "指摘",
                String.join(
                        "\n",
                        c.findings().stream()
                                .map(NetworkConnections.Finding::label)
                                .toList()));
        return m;
    }

    private static Map<String, Object> snapshot(Segment s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("名称", s.name());
        m.put("CIDR", nz(s.cidr()));
        m.put("用途", nz(s.purpose()));
        m.put("VLAN", s.vlan() == null ? "" : s.vlan().toString());
        m.put("系", s.zone().label());
        m.put("備考", nz(s.notes()));
        return m;
    }

    private static String nz(@Nullable String s) {
        return s == null ? "" : s;
    }

    private void history(String subject, long id, String action, Map<String, Object> snapshot, Answers.Person who) {
        jdbc.sql(
                        """
                        INSERT INTO connection_history (subject, subject_id, action, snapshot, changed_by, changed_by_name, changed_at)
                        VALUES (?, ?, ?, ?::jsonb, ?, ?, ?)""")
                .params(
                        subject,
                        id,
                        action,
                        json.writeValueAsString(snapshot),
                        who.accountId(),
                        who.displayName(),
                        Timestamp.from(clock.instant()))
                .update();
    }

    private void log(Answers.Person who, String action, String key, Object value) {
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", action)
                .detail(key, value)
                .build());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readSnapshot(String text) {
        return json.readValue(text, LinkedHashMap.class);
    }

    /** Every window of every connection with its vendor accounts, for the access-log review. */
    List<Connection> withWindows() {
        return connections().stream().filter(c -> !c.windows().isEmpty()).toList();
    }
}
