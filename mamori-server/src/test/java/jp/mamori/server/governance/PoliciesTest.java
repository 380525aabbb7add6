package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestClock;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class PoliciesTest extends ServerTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    Policies policies;

    @Autowired
    Proposals proposals;

    @Autowired
    ChecklistCatalog catalog;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void an_approved_version_becomes_current_an_unapproved_one_does_not_and_files_come_back_byte_for_byte()
            throws Exception {
        WebClient web = officer();
        String title = "試験病院 運用管理規程-" + System.nanoTime();
        byte[] first = pdf("第1版");
        var r = upload(web, "/governance/policies", newDocument("OPERATIONS_RULES", title, "第1版"), "規程_v1.pdf", first);
        assertThat(r.statusCode()).isEqualTo(200);
        Policies.Document d = document(title);
        assertThat(d.versions()).singleElement().satisfies(v -> {
            assertThat(v.contentType()).isEqualTo("application/pdf");
            assertThat(v.sha256()).isEqualTo(VendorDocumentsTest.sha256(first));
            assertThat(v.approval()).isNull();
        });
        assertThat(d.current()).isEmpty();
        long v1 = d.versions().get(0).id();

        LocalDate today = policies.today();
        approve(web, v1, today.minusDays(3).toString(), "");
        assertThat(web.last().statusCode()).isEqualTo(200);
        d = document(title);
        assertThat(d.current()).hasValueSatisfying(v -> {
            assertThat(v.id()).isEqualTo(v1);
            assertThat(v.approval().approverName()).isEqualTo("試験 太郎");
            assertThat(v.approval().approverTitle()).isEqualTo("病院長(試験)");
            assertThat(v.approval().reviewDue()).isEqualTo(today.minusDays(3).plusMonths(12));
        });

        // a new version without approval is kept but the approved one stays current
        byte[] second = pdf("第2版");
        upload(web, "/governance/policies/" + d.id() + "/versions", version("第2版"), "規程_v2.pdf", second);
        d = document(title);
        assertThat(d.versions()).hasSize(2);
        long v2 = d.versions().get(0).id();
        assertThat(d.versions().get(0).approval()).isNull();
        assertThat(d.current().orElseThrow().id()).isEqualTo(v1);
        web.get("/governance/policies");
        assertThat(web.last().body()).contains(title).contains("未承認(現行版になりません)").contains("現行版 第1版");

        // approved, it becomes current; the first is still there to download
        approve(web, v2, today.toString(), today.plusMonths(6).toString());
        d = document(title);
        assertThat(d.current().orElseThrow().id()).isEqualTo(v2);
        assertThat(d.current().orElseThrow().approval().reviewDue()).isEqualTo(today.plusMonths(6));
        web.get("/governance/policies");
        assertThat(web.last().body()).contains("現行版 第2版").contains("旧版");

        HttpResponse<byte[]> back = web.getBytes("/governance/policies/versions/" + v1);
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).isEqualTo(first);
        assertThat(back.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
        assertThat(back.headers().firstValue("Repr-Digest").orElse(""))
                .isEqualTo("sha-256=:"
                        + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(VendorDocumentsTest.sha256(first)))
                        + ":");
        assertThat(web.getBytes("/governance/policies/versions/" + v2).body()).isEqualTo(second);
        assertThat(web.getBytes("/governance/policies/versions/99999997").statusCode())
                .isEqualTo(404);

        // the history cannot be rewritten, and every change went to the access log
        assertThatThrownBy(() -> jdbc.sql("UPDATE policy_version SET label = 'x' WHERE id = ?")
                        .param(v1)
                        .update())
                .hasMessageContaining("cannot be changed");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM policy_approval WHERE version_id = ?")
                        .param(v1)
                        .update())
                .hasMessageContaining("cannot be changed");
        long id = d.id();
        int logged = jdbc.sql("SELECT count(*) FROM audit_event WHERE type = 'GOVERNANCE_CHANGED'"
                        + " AND body::jsonb #>> '{detail,policy}' = ?")
                .param(String.valueOf(id))
                .query(Integer.class)
                .single();
        assertThat(logged).isEqualTo(5);

        // the inspection pack carries the current version, not the older one
        var pack =
                unzip(web.getBytes("/governance/inspection-pack.zip?year=2025").body());
        assertThat(pack.entrySet())
                .anySatisfy(e -> {
                    assertThat(e.getKey()).contains("運用管理規程_" + title + "_第2版").endsWith(".pdf");
                    assertThat(e.getValue()).isEqualTo(second);
                })
                .noneSatisfy(e -> assertThat(e.getKey()).contains(title + "_第1版"));
    }

    @Test
    void bad_inputs_are_refused_by_field_and_nothing_is_stored() throws Exception {
        WebClient web = officer();
        int before = rows();

        var empty = upload(web, "/governance/policies", newDocument("BCP", "試験BCP", "第1版"), "empty.pdf", new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("「ファイル」が空です(empty.pdf)。何も登録していません。");

        byte[] big = new byte[(int) policies.maxBytes() + 1];
        big[0] = '%';
        var oversized = upload(web, "/governance/policies", newDocument("BCP", "試験BCP", "第1版"), "big.pdf", big);
        assertThat(oversized.statusCode()).isEqualTo(400);
        assertThat(oversized.body()).contains("「ファイル」が大きすぎます(20 MBまで)。何も登録していません。");

        Map<String, String> noTitle = newDocument("XYZ", "", "");
        noTitle.put("effectiveOn", "2025-02-30");
        var missing = upload(web, "/governance/policies", noTitle, "x.pdf", pdf("x"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body())
                .contains("「種類」の「XYZ」は種類として読めません。")
                .contains("「文書名」は必須です。")
                .contains("「版」は必須です。")
                .contains("「施行日」の「2025-02-30」は日付として読めません");
        assertThat(rows()).isEqualTo(before);

        // a version whose approval is dated tomorrow is not approved
        String title = "試験 教育・訓練計画-" + System.nanoTime();
        upload(web, "/governance/policies", newDocument("TRAINING_PLAN", title, "2025年度版"), "plan.pdf", pdf("plan"));
        long v = document(title).versions().get(0).id();
        int approvals = approvals();
        approve(web, v, policies.today().plusDays(1).toString(), "");
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("「承認日」の " + policies.today().plusDays(1) + " は未来の日付です。");
        web.post(
                "/governance/policies/versions/" + v + "/approve",
                Map.of("approverName", "", "approverTitle", "", "approvedOn", "", "reviewDue", ""));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body())
                .contains("「承認者」は必須です。")
                .contains("「承認者の役職」は必須です。")
                .contains("「承認日」は必須です。");
        approve(
                web,
                v,
                policies.today().toString(),
                policies.today().minusDays(1).toString());
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("「見直し期限」は承認日より後にしてください");
        assertThat(approvals()).isEqualTo(approvals);
        assertThat(document(title).current()).isEmpty();

        var noDocument = upload(web, "/governance/policies/99999996/versions", version("第2版"), "x.pdf", pdf("x"));
        assertThat(noDocument.statusCode()).isEqualTo(400);
        assertThat(noDocument.body()).contains("文書 99999996 はありません。");
    }

    @Test
    void auditors_read_other_staff_are_refused() throws Exception {
        WebClient auditor = signIn(fixtures.user("pol-aud", JobType.IT, "AUDITOR"));
        auditor.get("/governance/policies");
        assertThat(auditor.last().statusCode()).isEqualTo(200);
        assertThat(auditor.last().body()).doesNotContain("id=\"new-policy\"");
        int before = rows();
        auditor.post("/governance/policies", Map.of("kind", "OTHER", "title", "試験"));
        assertThat(auditor.last().statusCode()).isEqualTo(403);
        assertThat(rows()).isEqualTo(before);

        WebClient nurse = signIn(fixtures.user("pol-ns", JobType.NURSE));
        nurse.get("/governance/policies");
        assertThat(nurse.last().statusCode()).isEqualTo(403);

        WebClient admin = signIn(fixtures.administrator());
        admin.get("/governance/policies");
        assertThat(admin.last().statusCode()).isEqualTo(200);
        assertThat(admin.last().body()).contains("id=\"new-policy\"");
    }

    @Test
    void the_operations_rules_item_is_proposed_yes_only_while_approved_rules_are_not_overdue() throws Exception {
        Checklist sheet = catalog.find(2025, Checklist.Form.MEDICAL).orElseThrow();
        if (policies.operationsRules().isEmpty()) {
            assertThat(proposals.forItem(sheet, "3-④")).hasValueSatisfying(p -> {
                assertThat(p.reply()).isEqualTo(Answers.Reply.NO);
                assertThat(p.messageKey()).isEqualTo("governance.proposal.operationsRules.none");
            });
        }
        WebClient web = officer();
        String title = "試験 運用管理規程-" + System.nanoTime();
        upload(web, "/governance/policies", newDocument("OPERATIONS_RULES", title, "第1版"), "rules.pdf", pdf("rules"));
        long docId = document(title).id();
        long v = document(title).versions().get(0).id();
        approve(web, v, policies.today().toString(), "");
        assertThat(proposals.forItem(sheet, "3-④")).hasValueSatisfying(p -> {
            assertThat(p.reply()).isEqualTo(Answers.Reply.YES);
            assertThat(p.messageKey()).isEqualTo("governance.proposal.operationsRules.yes");
            assertThat(p.evidence()).startsWith("/governance/policies#policy-");
        });

        // years later every approval is past its review date: the proposal turns to いいえ
        clock.advance(Duration.ofDays(365 * 5));
        assertThat(proposals.forItem(sheet, "3-④")).hasValueSatisfying(p -> {
            assertThat(p.reply()).isEqualTo(Answers.Reply.NO);
            assertThat(p.messageKey()).isEqualTo("governance.proposal.operationsRules.overdue");
        });
        web.get("/governance/policies");
        assertThat(web.last().body()).contains("を過ぎています");

        // reviewed and approved again, it is yes once more, with a link to the document
        upload(web, "/governance/policies/" + docId + "/versions", version("第2版"), "rules2.pdf", pdf("rules2"));
        long v2 = document(title).versions().get(0).id();
        approve(web, v2, policies.today().toString(), "");
        assertThat(proposals.forItem(sheet, "3-④")).hasValueSatisfying(p -> {
            assertThat(p.reply()).isEqualTo(Answers.Reply.YES);
            assertThat(p.evidence()).isEqualTo("/governance/policies#policy-" + docId);
            assertThat(p.args()).contains(title, "第2版");
        });
    }

    private int rows() {
        return jdbc.sql("SELECT (SELECT count(*) FROM policy_document) + (SELECT count(*) FROM policy_version)")
                .query(Integer.class)
                .single();
    }

    private int approvals() {
        return jdbc.sql("SELECT count(*) FROM policy_approval")
                .query(Integer.class)
                .single();
    }

    private Policies.Document document(String title) {
        return policies.all().stream()
                .filter(d -> d.title().equals(title))
                .findFirst()
                .orElseThrow();
    }

    private static void approve(WebClient web, long versionId, String approvedOn, String reviewDue) {
        web.get("/governance/policies");
        web.post(
                "/governance/policies/versions/" + versionId + "/approve",
                Map.of(
                        "approverName",
                        "試験 太郎",
                        "approverTitle",
                        "病院長(試験)",
                        "approvedOn",
                        approvedOn,
                        "reviewDue",
                        reviewDue));
    }

    private static byte[] pdf(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("%PDF-1.7\n% 試験用 " + text + "\n").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 1024; i++) {
            out.write(i % 256);
        }
        out.writeBytes("\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static Map<String, String> newDocument(String kind, String title, String label) {
        Map<String, String> m = version(label);
        m.put("kind", kind);
        m.put("title", title);
        return m;
    }

    private static Map<String, String> version(String label) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("effectiveOn", "2025-04-01");
        m.put("changeSummary", "試験のための改定");
        return m;
    }

    /** Posts a form with one file, multipart, with the page's CSRF token, as a browser does. */
    private static HttpResponse<String> upload(
            WebClient web, String path, Map<String, String> fields, String filename, byte[] content) {
        web.get("/governance/policies");
        return web.postFile(path, fields, "file", filename, "application/pdf", content);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    private WebClient officer() {
        WebClient web = signIn(fixtures.user("pol-so", JobType.IT, "SECURITY_OFFICER"));
        web.get("/governance/policies");
        return web;
    }
}
