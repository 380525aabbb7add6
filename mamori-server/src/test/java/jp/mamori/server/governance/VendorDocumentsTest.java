package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class VendorDocumentsTest extends ServerTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    VendorRegister register;

    @Autowired
    VendorDocuments documents;

    @Autowired
    JdbcClient jdbc;

    @Test
    void an_mds_is_uploaded_downloaded_byte_for_byte_signed_off_and_older_editions_stay() throws Exception {
        WebClient web = officer();
        long id = vendor(web, "試験PACS株式会社-" + System.nanoTime(), "PACS\n読影端末");
        // a real, small PDF-shaped file with bytes of every value in it
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        pdf.writeBytes("%PDF-1.7\n% 試験用 MDS\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 4096; i++) {
            pdf.write(i % 256);
        }
        pdf.writeBytes("\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        byte[] first = pdf.toByteArray();

        var r = upload(web, id, fields("MDS", "PACS", "第3.0版", "2024-06-01"), "../../etc/MDS_PACS.pdf", first);
        assertThat(r.statusCode()).isEqualTo(200);
        var stored = documents.of(id);
        assertThat(stored).singleElement().satisfies(d -> {
            assertThat(d.contentType()).isEqualTo("application/pdf");
            assertThat(d.filename()).isEqualTo("MDS_PACS.pdf");
            assertThat(d.sizeBytes()).isEqualTo(first.length);
            assertThat(d.sha256()).isEqualTo(sha256(first));
            assertThat(d.current()).isTrue();
        });
        long firstId = stored.get(0).id();

        HttpResponse<byte[]> back = web.getBytes("/governance/vendors/" + id + "/documents/" + firstId);
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).isEqualTo(first);
        assertThat(back.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
        assertThat(back.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
        assertThat(back.headers().firstValue("Repr-Digest").orElse(""))
                .isEqualTo("sha-256=:"
                        + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256(first))) + ":");

        // an Excel workbook sent as a PDF by name is stored as what its bytes are
        byte[] workbook = workbook();
        upload(web, id, fields("MDS", "PACS", "第3.1版", "2025-05-20"), "MDS_PACS_v31.pdf", workbook);
        var both = documents.of(id);
        assertThat(both).hasSize(2);
        assertThat(both.get(0).edition()).isEqualTo("第3.1版");
        assertThat(both.get(0).current()).isTrue();
        assertThat(both.get(0).contentType()).contains("spreadsheetml");
        assertThat(both.get(1).edition()).isEqualTo("第3.0版");
        assertThat(both.get(1).current()).isFalse();
        assertThat(web.getBytes("/governance/vendors/" + id + "/documents/" + firstId)
                        .body())
                .isEqualTo(first);

        web.get("/governance/vendors/" + id);
        assertThat(web.last().body()).contains("第3.1版").contains("旧版").contains(sha256(workbook));
        web.post(
                "/governance/vendors/" + id + "/documents/" + both.get(0).id() + "/review",
                Map.of("reviewedOn", "2099-01-01", "reviewNote", ""));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("「確認日」の 2099-01-01 は未来の日付です。");
        web.post(
                "/governance/vendors/" + id + "/documents/" + both.get(0).id() + "/review",
                Map.of("reviewedOn", register.today().toString(), "reviewNote", "暗号化・バックアップの記載を確認"));
        assertThat(web.last().statusCode()).isEqualTo(200);
        assertThat(documents.of(id).get(0).review()).satisfies(rv -> {
            assertThat(rv.reviewedByName()).startsWith("試験 so-docs");
            assertThat(rv.note()).isEqualTo("暗号化・バックアップの記載を確認");
        });
        assertThat(web.last().body()).contains("暗号化・バックアップの記載を確認");

        // stored documents cannot be overwritten
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> jdbc.sql("UPDATE vendor_document SET content = '\\x00' WHERE id = ?")
                                .param(firstId)
                                .update())
                .hasMessageContaining("cannot be changed");
    }

    @Test
    void empty_oversized_or_misdirected_uploads_are_refused_and_nothing_is_stored() throws Exception {
        WebClient web = officer();
        long id = vendor(web, "試験レセコン株式会社-" + System.nanoTime(), "レセコン");

        var empty = upload(web, id, fields("SDS", "レセコン", "Ver.5.0", "2025-04-01"), "empty.pdf", new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("「ファイル」が空です(empty.pdf)。何も登録していません。");

        byte[] big = new byte[(int) documents.maxBytes() + 1];
        big[0] = '%';
        var oversized = upload(web, id, fields("SDS", "レセコン", "Ver.5.0", "2025-04-01"), "big.pdf", big);
        assertThat(oversized.statusCode()).isEqualTo(400);
        assertThat(oversized.body()).contains("「ファイル」が大きすぎます(20 MBまで)。何も登録していません。");

        var badFields = upload(web, id, fields("XYZ", "電子カルテ", "", "2025-02-30"), "x.pdf", "%PDF-1.4".getBytes());
        assertThat(badFields.statusCode()).isEqualTo(400);
        assertThat(badFields.body())
                .contains("「種類」の「XYZ」は種類として読めません")
                .contains("「版」は必須です。")
                .contains("「受領日」の「2025-02-30」は日付として読めません");

        var otherSystem =
                upload(web, id, fields("SDS", "電子カルテ", "Ver.5.0", "2025-04-01"), "x.pdf", "%PDF-1.4".getBytes());
        assertThat(otherSystem.statusCode()).isEqualTo(400);
        assertThat(otherSystem.body()).contains("「システム」の「電子カルテ」はこの事業者の提供システムにありません。");
        assertThat(documents.of(id)).isEmpty();

        var noVendor =
                upload(web, 99999998L, fields("SDS", "", "Ver.5.0", "2025-04-01"), "x.pdf", "%PDF-1.4".getBytes());
        assertThat(noVendor.statusCode()).isEqualTo(404);
        assertThat(noVendor.body()).contains("事業者 99999998 は台帳にありません。");
        int forNobody = jdbc.sql("SELECT count(*) FROM vendor_document WHERE vendor_id = 99999998")
                .query(Integer.class)
                .single();
        assertThat(forNobody).isZero();
    }

    @Test
    void the_content_type_comes_from_the_bytes_not_the_name() throws Exception {
        assertThat(VendorDocuments.sniff("%PDF-1.4 x".getBytes())).isEqualTo("application/pdf");
        assertThat(VendorDocuments.sniff(workbook())).contains("spreadsheetml");
        assertThat(VendorDocuments.sniff(new byte[] {
                    (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0
                }))
                .isEqualTo("application/x-ole-storage");
        assertThat(VendorDocuments.sniff("項目,回答\n2-③,はい\n".getBytes(StandardCharsets.UTF_8)))
                .startsWith("text/plain");
        assertThat(VendorDocuments.sniff(new byte[] {'M', 'Z', 0, 1, 2})).isEqualTo("application/octet-stream");
    }

    /** A minimal .xlsx-shaped ZIP: what matters for the type is that its parts live under xl/. */
    private static byte[] workbook() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write("<Types/>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("xl/workbook.xml"));
            zip.write("<workbook/>".getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static Map<String, String> fields(String kind, String system, String edition, String receivedOn) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("system", system);
        m.put("edition", edition);
        m.put("receivedOn", receivedOn);
        return m;
    }

    /** Posts the document form as a browser does: its fields and one file, multipart, with the page's CSRF token. */
    static HttpResponse<String> upload(
            WebClient web, long vendorId, Map<String, String> fields, String filename, byte[] content) {
        web.get("/governance/vendors");
        return web.postFile(
                "/governance/vendors/" + vendorId + "/documents", fields, "file", filename, "application/pdf", content);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private long vendor(WebClient web, String name, String systems) {
        web.get("/governance/vendors");
        web.post("/governance/vendors", Map.of("name", name, "systems", systems));
        String path = web.path();
        return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    }

    private WebClient officer() {
        WebClient web = signIn(fixtures.user("so-docs", JobType.IT, "SECURITY_OFFICER"));
        web.get("/governance/vendors");
        return web;
    }
}
