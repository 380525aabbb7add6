package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ConnectionsTest extends ServerTest {

    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    ConnectionRegister register;

    @Autowired
    Proposals proposals;

    @Autowired
    JdbcClient jdbc;

    @Test
    void a_remote_maintenance_line_is_registered_changed_and_its_history_kept() {
        WebClient web = officer();
        String tag = "R" + System.nanoTime();
        long ehr = segment(web, "電子カルテ系-" + tag, "EHR", "10.20.0.0/16");
        asset(web, "試験カルテサーバ-" + tag, "10.20.1.5", "");

        Map<String, String> form = remoteLine(tag, ehr);
        form.put("assets", "試験カルテサーバ-" + tag);
        var created = web.post("/governance/connections", form);
        assertThat(created.statusCode()).isEqualTo(200);
        long id = idFromPath(web.path(), "/governance/connections/");
        var c = register.connection(id).orElseThrow();
        assertThat(c.kind()).isEqualTo(NetworkConnections.Kind.REMOTE_MAINTENANCE);
        assertThat(c.sources()).containsExactly("203.0.113.8", "198.51.100.0/28");
        assertThat(c.windows())
                .extracting(MaintenanceWindow::show)
                .containsExactly("火 13:00-17:00", "2026-11-20 22:00-23:30 作業計画 WP-031");
        assertThat(c.assets()).extracting(NetworkConnections.AssetRef::name).containsExactly("試験カルテサーバ-" + tag);
        assertThat(c.vendorAccounts()).containsExactly("rm-vendor-a");
        assertThat(c.findings()).isEmpty();
        assertThat(created.body()).contains("試験保守回線-" + tag).contains("火 13:00-17:00");

        // The vendor's line loses its restriction and is left always on: two findings.
        form.put("id", String.valueOf(id));
        form.put("sources", "");
        form.put("availability", "ALWAYS_ON");
        web.post("/governance/connections", form);
        c = register.connection(id).orElseThrow();
        assertThat(c.findings())
                .containsExactly(
                        NetworkConnections.Finding.NO_SOURCE_RESTRICTION, NetworkConnections.Finding.ALWAYS_ON_REMOTE);
        web.get("/governance/connections");
        assertThat(web.last().body()).contains("接続元制限なし").contains("常時接続のリモート保守");

        var history = register.history("CONNECTION", id);
        assertThat(history).extracting(NetworkConnections.Change::action).containsExactly("CHANGED", "CREATED");
        assertThat(history.get(0).snapshot())
                .containsEntry("接続元制限", "")
                .containsEntry("常時接続", "常時接続")
                .containsEntry("指摘", "接続元制限なし\n常時接続のリモート保守");
        assertThat(history.get(1).snapshot()).containsEntry("接続元制限", "203.0.113.8\n198.51.100.0/28");
        web.get("/governance/connections/" + id);
        assertThat(web.last().body()).contains("変更履歴").contains("203.0.113.8");

        // Every change is in the access log.
        assertThat(governanceEvents("connection_created", id)).isEqualTo(1);
        assertThat(governanceEvents("connection_changed", id)).isEqualTo(1);

        // The CSV export: UTF-8 with a BOM, the headers, and the line with its windows and findings.
        var csv = web.getBytes("/governance/connections/export.csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        byte[] bytes = csv.body();
        assertThat(bytes[0]).isEqualTo((byte) 0xEF);
        assertThat(bytes[1]).isEqualTo((byte) 0xBB);
        assertThat(bytes[2]).isEqualTo((byte) 0xBF);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertThat(text).startsWith("名称,種別,接続元区画,接続先区画,外部の接続先,事業者");
        List<Csv.Record> records = Csv.read(text);
        var row = records.stream()
                .filter(r -> r.fields().get(0).equals("試験保守回線-" + tag))
                .findFirst()
                .orElseThrow();
        assertThat(row.fields())
                .contains("リモート保守", "電子カルテ系-" + tag, "試験保守センター", "常時接続")
                .contains("火 13:00-17:00\n2026-11-20 22:00-23:30 作業計画 WP-031")
                .contains("接続元制限なし\n常時接続のリモート保守");

        // Retired: gone from the register, its history kept and one more entry added.
        web.get("/governance/connections/" + id);
        web.post("/governance/connections/" + id + "/remove", Map.of());
        assertThat(register.connection(id)).isEmpty();
        assertThat(register.history("CONNECTION", id))
                .extracting(NetworkConnections.Change::action)
                .containsExactly("REMOVED", "CHANGED", "CREATED");
    }

    @Test
    void bad_input_is_refused_field_by_field_and_nothing_is_stored() {
        WebClient web = officer();
        String tag = "B" + System.nanoTime();
        long office = segment(web, "事務系-" + tag, "OFFICE", "192.168.10.0/24");
        int segments = register.segments().size();
        int connections = register.connectionCount();
        long history = historyRows();

        web.get("/governance/connections");
        var badSegment = web.post(
                "/governance/connections/segments",
                Map.of("name", "悪い区画-" + tag, "zone", "EHR", "cidr", "10.0.0.300/24", "vlan", "5000"));
        assertThat(badSegment.statusCode()).isEqualTo(400);
        assertThat(badSegment.body())
                .contains("「CIDR」の「10.0.0.300/24」は IP アドレス・CIDR として読めません")
                .contains("「VLAN」の「5000」は VLAN ID(1~4094)として読めません");
        web.get("/governance/connections");
        var hostBits = web.post(
                "/governance/connections/segments",
                Map.of("name", "悪い区画-" + tag, "zone", "EHR", "cidr", "10.0.0.7/24"));
        assertThat(hostBits.body()).contains("「10.0.0.7/24」はネットワークアドレスではありません。区画なら 10.0.0.0/24 と書きます");
        web.get("/governance/connections");
        var noPrefix = web.post(
                "/governance/connections/segments", Map.of("name", "悪い区画-" + tag, "zone", "EHR", "cidr", "10.0.0.0"));
        assertThat(noPrefix.body()).contains("「10.0.0.0」にはプレフィックス長が必要です");

        Map<String, String> form = remoteLine(tag, office);
        form.put("sources", "203.0.113.300\n198.51.100.0/33, 203.0.113.9");
        form.put(
                "windows",
                "火 17:00-13:00\n2026-13-01 10:00-11:00 WP-1\n水 25:00-26:00\n2026-11-20 10:00-11:00\nいつでも\n木 09:00-12:00");
        form.put("assets", "存在しない機器-" + tag);
        form.put("reviewedOn", "2099-01-01");
        web.get("/governance/connections");
        var refused = web.post("/governance/connections", form);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("「接続元制限」の「203.0.113.300」は IP アドレス・CIDR として読めません")
                .contains("「接続元制限」の「198.51.100.0/33」のプレフィックス長が範囲外です")
                .contains("「承認時間帯」1 行目「火 17:00-13:00」: 終了時刻が開始時刻より前(または同じ)です")
                .contains("「承認時間帯」2 行目「2026-13-01 10:00-11:00 WP-1」: 存在しない日付です")
                .contains("「承認時間帯」3 行目「水 25:00-26:00」: 時刻が範囲外です")
                .contains("「承認時間帯」4 行目「2026-11-20 10:00-11:00」: 日付指定の時間帯には作業計画番号を書いてください")
                .contains("「承認時間帯」5 行目「いつでも」は承認時間帯として読めません")
                .contains("「確認日」の 2099-01-01 は未来の日付です")
                // what was typed stays in the form
                .contains("203.0.113.300");
        assertThat(refused.body()).doesNotContain("6 行目");

        // With every field right but the device: the unknown device alone is refused.
        Map<String, String> unknownAsset = remoteLine(tag, office);
        unknownAsset.put("assets", "存在しない機器-" + tag);
        web.get("/governance/connections");
        var asset = web.post("/governance/connections", unknownAsset);
        assertThat(asset.statusCode()).isEqualTo(400);
        assertThat(asset.body()).contains("「到達する機器」の「存在しない機器-" + tag + "」は機器台帳にありません");

        Map<String, String> nowhere = remoteLine(tag, office);
        nowhere.put("externalParty", "");
        nowhere.put("kind", "INTER_SEGMENT");
        web.get("/governance/connections");
        assertThat(web.post("/governance/connections", nowhere).body()).contains("「接続先区画」か「外部の接続先」のどちらかを指定してください");
        Map<String, String> unknownKind = remoteLine(tag, office);
        unknownKind.put("kind", "CARRIER_PIGEON");
        unknownKind.put("fromSegment", "999999999");
        web.get("/governance/connections");
        assertThat(web.post("/governance/connections", unknownKind).body())
                .contains("「種別」の「CARRIER_PIGEON」は選べる値ではありません");
        Map<String, String> unknownSegment = remoteLine(tag, office);
        unknownSegment.put("fromSegment", "999999999");
        web.get("/governance/connections");
        assertThat(web.post("/governance/connections", unknownSegment).body()).contains("区画 999999999 は登録されていません");

        assertThat(register.segments()).hasSize(segments);
        assertThat(register.connectionCount()).isEqualTo(connections);
        assertThat(historyRows()).isEqualTo(history);

        // A segment in use cannot be removed.
        web.post("/governance/connections", remoteLine(tag, office));
        web.get("/governance/connections/segments/" + office);
        var inUse = web.post("/governance/connections/segments/" + office + "/remove", Map.of());
        assertThat(inUse.statusCode()).isEqualTo(400);
        assertThat(inUse.body()).contains("区画「事務系-" + tag + "」は 1 件の接続で使われているため削除できません");
        assertThat(register.segment(office)).isPresent();
    }

    @Test
    void the_diagram_draws_zones_segments_devices_lines_and_findings() throws Exception {
        WebClient web = officer();
        String tag = "D" + System.nanoTime() % 100_000;
        long ehr = segment(web, "電子カルテ系<&>-" + tag, "EHR", "10.30.0.0/16");
        long devices = segment(web, "医療機器系-" + tag, "MEDICAL_DEVICE", "10.40.0.0/16");
        asset(web, "試験PACS-" + tag, "10.30.2.7", ""); // placed by its address
        asset(web, "試験モダリティ-" + tag, "", "医療機器系-" + tag); // placed by its segment's name
        asset(web, "試験迷子-" + tag, "172.31.255.1", ""); // in no registered segment

        Map<String, String> line = remoteLine(tag, ehr);
        line.put("sources", "");
        line.put("assets", "試験PACS-" + tag);
        web.get("/governance/connections");
        web.post("/governance/connections", line);
        Map<String, String> between = new HashMap<>();
        between.put("name", "カルテ-モダリティ間-" + tag);
        between.put("kind", "INTER_SEGMENT");
        between.put("fromSegment", String.valueOf(ehr));
        between.put("toSegment", String.valueOf(devices));
        between.put("sources", "10.30.2.7");
        between.put("availability", "ALWAYS_ON");
        web.get("/governance/connections");
        web.post("/governance/connections", between);

        var svg = web.getBytes("/governance/connections/diagram.svg");
        assertThat(svg.statusCode()).isEqualTo(200);
        assertThat(svg.headers().firstValue("Content-Type").orElseThrow()).startsWith("image/svg+xml");
        Document doc = parse(svg.body());
        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        var xpath = XPathFactory.newInstance().newXPath();

        // The segment's name came through escaped and is read back whole.
        Element ehrBox = (Element) xpath.evaluate(
                "//*[local-name()='g'][@class='segment'][@data-name='電子カルテ系<&>-" + tag + "']",
                doc,
                XPathConstants.NODE);
        assertThat(ehrBox).isNotNull();
        assertThat(((Element) ehrBox.getParentNode()).getAttribute("data-zone")).isEqualTo("EHR");
        assertThat(ehrBox.getTextContent()).contains("10.30.0.0/16").contains("試験PACS-" + tag);
        Element pacs = (Element)
                xpath.evaluate(".//*[local-name()='g'][@data-name='試験PACS-" + tag + "']", ehrBox, XPathConstants.NODE);
        assertThat(pacs.getAttribute("class")).isEqualTo("asset remote");
        Element devicesBox = (Element) xpath.evaluate(
                "//*[local-name()='g'][@class='segment'][@data-name='医療機器系-" + tag + "']", doc, XPathConstants.NODE);
        assertThat(devicesBox.getTextContent()).contains("試験モダリティ-" + tag);
        assertThat(((Element) devicesBox.getParentNode()).getAttribute("data-zone"))
                .isEqualTo("MEDICAL_DEVICE");
        Element unplaced =
                (Element) xpath.evaluate("//*[local-name()='g'][@class='unplaced']", doc, XPathConstants.NODE);
        assertThat(unplaced.getTextContent()).contains("試験迷子-" + tag);

        // The vendor's centre outside, the line to it red with its findings and approved windows.
        Element centre = (Element) xpath.evaluate(
                "//*[local-name()='g'][@class='external'][@data-name='試験保守センター']", doc, XPathConstants.NODE);
        assertThat(centre).isNotNull();
        Element remote = (Element)
                xpath.evaluate("//*[local-name()='g'][@data-name='試験保守回線-" + tag + "']", doc, XPathConstants.NODE);
        assertThat(remote.getAttribute("class")).isEqualTo("connection finding remote");
        assertThat(remote.getAttribute("data-kind")).isEqualTo("REMOTE_MAINTENANCE");
        assertThat(remote.getAttribute("data-findings")).isEqualTo("NO_SOURCE_RESTRICTION");
        Element stroke = (Element) xpath.evaluate("./*[local-name()='line']", remote, XPathConstants.NODE);
        assertThat(stroke.getAttribute("stroke")).isEqualTo(NetworkDiagram.FINDING);
        assertThat(stroke.getAttribute("stroke-dasharray")).isEqualTo("8 4"); // on demand
        List<String> labels = texts(remote);
        assertThat(labels).contains("リモート保守: 試験保守回線-" + tag, "⚠ 接続元制限なし");
        assertThat(labels).contains("試験保守株式会社", "承認: 火 13:00-17:00");
        // a label too long for the space between the columns is cut; the line's title holds it whole
        assertThat(labels).anyMatch(l -> l.startsWith("承認: 2026-11-20 22:00-23:30") && l.endsWith("…"));
        Element title = (Element) xpath.evaluate("./*[local-name()='title']", remote, XPathConstants.NODE);
        assertThat(title.getTextContent()).contains("2026-11-20 22:00-23:30 作業計画 WP-031");

        // Between two segments: drawn as a curve, always on, restricted, not a finding.
        Element link = (Element)
                xpath.evaluate("//*[local-name()='g'][@data-name='カルテ-モダリティ間-" + tag + "']", doc, XPathConstants.NODE);
        assertThat(link.getAttribute("class")).isEqualTo("connection");
        Element curve = (Element) xpath.evaluate("./*[local-name()='path']", link, XPathConstants.NODE);
        assertThat(curve.getAttribute("stroke")).isEqualTo(NetworkDiagram.LINE);
        assertThat(curve.hasAttribute("stroke-dasharray")).isFalse();
        assertThat(texts(link)).anyMatch(l -> l.startsWith("区画間接続: カルテ-モダリティ"));
        assertThat(((Element) xpath.evaluate("./*[local-name()='title']", link, XPathConstants.NODE)).getTextContent())
                .isEqualTo("カルテ-モダリティ間-" + tag + " (区画間接続)");

        // The same registers draw the same picture.
        assertThat(web.getBytes("/governance/connections/diagram.svg").body()).isEqualTo(svg.body());

        // The inspection pack carries the same picture and the register.
        var pack = web.getBytes("/governance/inspection-pack.zip?year=2025");
        assertThat(pack.statusCode()).isEqualTo(200);
        java.util.Map<String, byte[]> packed = new java.util.HashMap<>();
        try (var zip = new java.util.zip.ZipInputStream(
                new java.io.ByteArrayInputStream(pack.body()), StandardCharsets.UTF_8)) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                packed.put(e.getName().replaceFirst("^\\d+_", ""), zip.readAllBytes());
            }
        }
        assertThat(packed.get("ネットワーク構成図.svg")).isEqualTo(svg.body());
        assertThat(new String(packed.get("外部接続台帳.csv"), StandardCharsets.UTF_8)).contains("カルテ-モダリティ間-" + tag);

        // The page shows the diagram.
        web.get("/governance/connections");
        assertThat(web.last().body())
                .contains("id=\"network-diagram\"")
                .contains("/governance/connections/diagram.svg");
    }

    @Test
    void checklist_item_2_13_is_proposed_from_the_remote_lines_and_the_review() {
        WebClient web = officer();
        String tag = "P" + System.nanoTime();
        long office = segment(web, "事務系-" + tag, "OFFICE", "");
        Map<String, String> open = remoteLine(tag, office);
        open.put("name", "制限なしVPN-" + tag);
        open.put("kind", "VPN");
        open.put("sources", "0.0.0.0/0");
        web.get("/governance/connections");
        web.post("/governance/connections", open);

        var no = proposals.compute(Proposals.Topic.SOURCE_RESTRICTION);
        assertThat(no.reply()).isEqualTo(Answers.Reply.NO);
        assertThat(no.messageKey()).isEqualTo("governance.proposal.remote.no");
        assertThat(no.names()).contains("制限なしVPN-" + tag + ": 接続元制限なし");
        web.get("/governance/checklist?year=2025&form=MEDICAL");
        assertThat(web.last().body()).contains("制限なしVPN-" + tag + ": 接続元制限なし");

        // Every remote line gets a restriction and is opened on demand ...
        for (var c : register.connections()) {
            if (c.kind().remoteAccess() && !c.findings().isEmpty()) {
                Map<String, String> fixed = new HashMap<>(ConnectionController.form(c));
                fixed.put("sources", "203.0.113.10");
                fixed.put("availability", "ON_DEMAND");
                web.get("/governance/connections/" + c.id());
                assertThat(web.post("/governance/connections", fixed).statusCode())
                        .isEqualTo(200);
            }
        }
        // ... yet a register not reviewed within 12 months is no はい.
        var stale = proposals.compute(Proposals.Topic.SOURCE_RESTRICTION);
        if (register.latestReview().isEmpty()
                || register.latestReview().get().reviewedOn().isBefore(today().minusMonths(12))) {
            assertThat(stale.reply()).isEqualTo(Answers.Reply.NO);
            assertThat(stale.names()).isEmpty();
        }
        web.get("/governance/connections");
        web.post("/governance/connections/review", Map.of("reviewedOn", today().toString(), "note", "全回線を確認"));
        var yes = proposals.compute(Proposals.Topic.SOURCE_RESTRICTION);
        assertThat(yes.reply()).isEqualTo(Answers.Reply.YES);
        assertThat(yes.messageKey()).isEqualTo("governance.proposal.remote.yes");
        assertThat(yes.args()[1]).isEqualTo(today().toString());
        web.get("/");
        assertThat(web.last().body()).contains("接続元制限のないリモート回線");
        web.get("/governance");
        assertThat(web.last().body())
                .contains("id=\"connections-card\"")
                .contains("外部接続: " + register.connectionCount() + " 件");

        // A review dated in the future is refused.
        web.get("/governance/connections");
        var future = web.post("/governance/connections/review", Map.of("reviewedOn", "2099-01-01"));
        assertThat(future.statusCode()).isEqualTo(400);
        assertThat(future.body()).contains("2099-01-01 は未来の日付です");
    }

    @Test
    void auditors_read_the_register_and_others_are_refused() {
        var auditor = fixtures.user("au-conn", JobType.IT, "AUDITOR");
        WebClient reader = signIn(auditor);
        reader.get("/governance/connections");
        assertThat(reader.last().statusCode()).isEqualTo(200);
        assertThat(reader.last().body()).doesNotContain("id=\"connection-form\"");
        assertThat(reader.getBytes("/governance/connections/diagram.svg").statusCode())
                .isEqualTo(200);
        int before = register.connectionCount();
        reader.get("/account"); // a page with a form, for its CSRF token
        var post = reader.post("/governance/connections", Map.of("name", "監査人の回線", "kind", "VPN"));
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(register.connectionCount()).isEqualTo(before);

        var nurse = fixtures.user("nu-conn", JobType.NURSE, "NURSE");
        WebClient other = signIn(nurse);
        other.get("/governance/connections");
        assertThat(other.last().statusCode()).isEqualTo(403);
        assertThat(other.getBytes("/governance/connections/export.csv").statusCode())
                .isEqualTo(403);
    }

    // --- helpers ---

    private WebClient officer() {
        var officer = fixtures.user("so-conn", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get("/governance/connections");
        return web;
    }

    private long segment(WebClient web, String name, String zone, String cidr) {
        web.get("/governance/connections");
        var r = web.post(
                "/governance/connections/segments",
                Map.of("name", name, "zone", zone, "cidr", cidr, "purpose", "試験用", "vlan", "10"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return register.segments().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow()
                .id();
    }

    private static void asset(WebClient web, String name, String ip, String segment) {
        web.get("/governance/assets");
        var r = web.post(
                "/governance/assets",
                Map.of("name", name, "kind", "SERVER", "ip_address", ip, "network_segment", segment));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static Map<String, String> remoteLine(String tag, long from) {
        Map<String, String> form = new HashMap<>();
        form.put("name", "試験保守回線-" + tag);
        form.put("kind", "REMOTE_MAINTENANCE");
        form.put("fromSegment", String.valueOf(from));
        form.put("externalParty", "試験保守センター");
        form.put("vendorName", "試験保守株式会社");
        form.put("vendorAccounts", "RM-Vendor-A");
        form.put("method", "SSL-VPN");
        form.put("sources", "203.0.113.8\n198.51.100.0/28, 203.0.113.8");
        form.put("authentication", "二要素(証明書+ワンタイムパスワード)");
        form.put("availability", "ON_DEMAND");
        form.put("windows", "火 13:00-17:00\n2026-11-20 22:00-23:30 作業計画 WP-031");
        form.put("owner", "情報システム課");
        return form;
    }

    private static long idFromPath(String path, String prefix) {
        assertThat(path).startsWith(prefix);
        return Long.parseLong(path.substring(prefix.length()));
    }

    private long governanceEvents(String action, long connection) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE type = 'GOVERNANCE_CHANGED'"
                        + " AND body::jsonb #>> '{detail,action}' = ? AND body::jsonb #>> '{detail,connection}' = ?")
                .params(action, String.valueOf(connection))
                .query(Long.class)
                .single();
    }

    private long historyRows() {
        return jdbc.sql("SELECT count(*) FROM connection_history")
                .query(Long.class)
                .single();
    }

    private static LocalDate today() {
        return LocalDate.now(JAPAN);
    }

    private static Document parse(byte[] svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
    }

    private static List<String> texts(Element g) {
        NodeList list = g.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add(list.item(i).getTextContent());
        }
        return out;
    }
}
