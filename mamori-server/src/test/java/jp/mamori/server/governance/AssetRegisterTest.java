package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AssetRegisterTest extends ServerTest {

    private static final Charset SJIS = Charset.forName("windows-31j");
    private static final String HEADER =
            "名称,種別,設置場所,OS,OSバージョン,IPアドレス,MACアドレス,購入日,リモート保守,不要なサービス(停止対象),初期パスワード変更済み\r\n";

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    AssetRegister register;

    @Test
    void a_shift_jis_file_is_imported_and_exported_back_in_both_encodings() {
        WebClient web = officer();
        String tag = "T" + System.nanoTime();
        String csv = HEADER
                + "試験サーバ-" + tag
                + ",サーバ,サーバ室A,Windows Server,2022,192.0.2.10,00-1A-2B-3C-4D-5E,2024/4/1,はい,\"Print Spooler, Fax\",はい\r\n"
                + "試験端末-" + tag + ",端末PC,外来1診,Windows,11 23H2,192.0.2.21,,2023-10-01,いいえ,,いいえ\r\n";
        var r = web.postFile("/governance/assets/import", "file", "register.csv", csv.getBytes(SJIS));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("2 台を追加し、0 台を更新しました。").contains("試験サーバ-" + tag);

        var utf8 = web.getBytes("/governance/assets/export.csv?encoding=UTF-8");
        byte[] bytes = utf8.body();
        assertThat(bytes[0]).isEqualTo((byte) 0xEF);
        String exported = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertThat(exported)
                .contains("試験サーバ-" + tag + ",サーバ,サーバ室A")
                .contains("00:1A:2B:3C:4D:5E")
                .contains("2024-04-01")
                .contains("\"Print Spooler, Fax\"");

        // the export imports again unchanged: every row is an update, nothing new
        int before = register.count();
        var again = web.postFile("/governance/assets/import", "file", "again.csv", bytes);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(register.count()).isEqualTo(before);

        var sjis = web.getBytes("/governance/assets/export.csv?encoding=Shift_JIS");
        assertThat(new String(sjis.body(), SJIS)).contains("試験端末-" + tag + ",端末PC,外来1診");
    }

    @Test
    void a_file_with_bad_rows_is_refused_whole_with_each_row_named() {
        WebClient web = officer();
        String tag = "B" + System.nanoTime();
        int before = register.count();
        String csv = HEADER
                + "良い行-" + tag + ",サーバ,,,,192.0.2.30,,,,,\r\n"
                + "悪い種別-" + tag + ",冷蔵庫,,,,,,,,,\r\n"
                + "悪い日付-" + tag + ",端末PC,,,,999.1.1.1,,2024-13-40,たぶん,,\r\n"
                + ",サーバ,,,,,,,,,\r\n";
        var r = web.postFile("/governance/assets/import", "file", "bad.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains("3行目: 「種別」の「冷蔵庫」は種別として読めません")
                .contains("4行目: 「IPアドレス」の「999.1.1.1」はIPアドレスとして読めません")
                .contains("4行目: 「購入日」の「2024-13-40」は日付として読めません")
                .contains("4行目: 「リモート保守」の「たぶん」は はい/いいえ として読めません")
                .contains("5行目: 「名称」は必須です");
        assertThat(register.count()).isEqualTo(before);
        assertThat(register.all()).extracting(AssetRegister.Asset::name).doesNotContain("良い行-" + tag);
    }

    @Test
    void a_serial_number_twice_for_the_same_maker_is_refused() {
        WebClient web = officer();
        String tag = "S" + System.nanoTime();
        String header = "名称,種別,メーカー,シリアル番号\r\n";
        var first = web.postFile(
                "/governance/assets/import",
                "file",
                "first.csv",
                (header + "機器A-" + tag + ",サーバ,試験電機," + tag + "-001\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(first.statusCode()).isEqualTo(200);
        int before = register.count();
        String csv = header
                + "機器B-" + tag + ",サーバ,試験電機," + tag + "-002\r\n"
                + "機器C-" + tag + ",端末PC,試験電機," + tag + "-002\r\n"
                + "機器D-" + tag + ",端末PC,別の電機," + tag + "-002\r\n"
                + "機器E-" + tag + ",端末PC,試験電機," + tag + "-001\r\n"
                + "機器A-" + tag + ",サーバ,試験電機," + tag + "-001\r\n";
        var r = web.postFile("/governance/assets/import", "file", "serials.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains("3行目: シリアル番号「" + tag + "-002」が同じメーカーの別の行にもあります")
                .contains("5行目: シリアル番号「" + tag + "-001」の機器はすでに別の名称で台帳にあります")
                .contains("6行目: シリアル番号「" + tag + "-001」が同じメーカーの別の行にもあります")
                .doesNotContain("4行目")
                .doesNotContain("2行目");
        assertThat(register.count()).isEqualTo(before);

        // The asset that holds the serial may be imported again with it.
        var again = web.postFile(
                "/governance/assets/import",
                "file",
                "again.csv",
                (header + "機器A-" + tag + ",サーバ,試験電機," + tag + "-001\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(again.statusCode()).isEqualTo(200);
    }

    @Test
    void a_file_in_neither_utf8_nor_shift_jis_or_with_unknown_columns_is_refused() {
        WebClient web = officer();
        int before = register.count();
        // 0x80 alone is valid in neither encoding; 0xFF likewise
        byte[] garbage = {(byte) 0x80, (byte) 0xFF, (byte) 0xFE, 0x41, 0x0A};
        var r = web.postFile("/governance/assets/import", "file", "garbage.csv", garbage);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("ファイルの文字コードを読めません");

        var unknown = web.postFile(
                "/governance/assets/import",
                "file",
                "columns.csv",
                "名称,好きな色\r\nX,青\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("見出し「好きな色」は台帳の列ではありません").contains("必須の列「種別」がありません");
        assertThat(register.count()).isEqualTo(before);
    }

    @Test
    void every_change_is_kept_and_the_review_sign_off_turns_the_proposal_for_2_1_to_yes() {
        WebClient web = officer();
        String name = "試験ルータ-" + System.nanoTime();
        Map<String, String> form = new HashMap<>();
        form.put("name", name);
        form.put("kind", "NETWORK");
        form.put("location", "機械室");
        form.put("mac_address", "00:1a:2b:3c:4d:5f");
        web.get("/governance/assets");
        var created = web.post("/governance/assets", form);
        assertThat(created.statusCode()).isEqualTo(200);
        String path = web.path();
        assertThat(path).startsWith("/governance/assets/");
        long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));

        form.put("id", String.valueOf(id));
        form.put("location", "機械室B");
        web.post("/governance/assets", form);
        assertThat(register.history(id)).hasSize(2);
        assertThat(register.history(id).get(0).snapshot()).containsEntry("設置場所", "機械室B");
        assertThat(register.history(id).get(1).snapshot()).containsEntry("設置場所", "機械室");
        web.get("/governance/assets/" + id);
        assertThat(web.last().body()).contains("機械室B").contains("00:1A:2B:3C:4D:5F");

        Map<String, String> bad = new HashMap<>(form);
        bad.remove("id");
        var duplicate = web.post("/governance/assets", bad);
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(duplicate.body()).contains("名称「" + name + "」の機器はすでに台帳にあります");

        web.get("/governance/assets");
        web.post("/governance/assets/review", Map.of("reviewedOn", "2099-01-01", "note", ""));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("点検日 2099-01-01 は未来の日付です");

        String today =
                java.time.LocalDate.now(java.time.ZoneId.of("Asia/Tokyo")).toString();
        web.get("/governance/assets");
        web.post("/governance/assets/review", Map.of("reviewedOn", today, "note", "全台確認"));
        assertThat(web.last().body()).contains(today + " に 試験 ");
        web.get("/governance/checklist?year=2025&form=MEDICAL");
        assertThat(web.last().body()).contains("12か月以内");
    }

    @Test
    void the_register_goes_out_as_excel_and_comes_back_unchanged() throws Exception {
        WebClient web = officer();
        String tag = "X" + System.nanoTime();
        String csv = HEADER + "試験NAS-" + tag + ",サーバ,サーバ室B,Linux,6.1,192.0.2.40,,2022-12-01,はい,telnet,はい\r\n";
        assertThat(web.postFile("/governance/assets/import", "file", "nas.csv", csv.getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(200);
        var xlsx = web.getBytes("/governance/assets/export.xlsx");
        assertThat(xlsx.headers().firstValue("Content-Type").orElse("")).contains("spreadsheetml");
        try (var wb =
                org.apache.poi.ss.usermodel.WorkbookFactory.create(new java.io.ByteArrayInputStream(xlsx.body()))) {
            var sheet = wb.getSheetAt(0);
            assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).isEqualTo("名称");
            boolean found = false;
            for (var row : sheet) {
                if (row.getCell(0).getStringCellValue().equals("試験NAS-" + tag)) {
                    found = true;
                    assertThat(row.getCell(1).getStringCellValue()).isEqualTo("サーバ");
                    assertThat(row.getCell(14).getStringCellValue()).isEqualTo("2022-12-01");
                }
            }
            assertThat(found).isTrue();
        }
        int before = register.count();
        var back = web.postFile("/governance/assets/import", "file", "register.xlsx", xlsx.body());
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).contains("0 台を追加し");
        assertThat(register.count()).isEqualTo(before);
        var nas = register.all().stream()
                .filter(a -> a.name().equals("試験NAS-" + tag))
                .findFirst()
                .orElseThrow();
        assertThat(nas.show(AssetField.UNNEEDED_SERVICES)).isEqualTo("telnet");
        assertThat(nas.show(AssetField.PURCHASED_ON)).isEqualTo("2022-12-01");

        // a ZIP that is no workbook is refused, nothing stored
        byte[] notWorkbook = {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0};
        var refused = web.postFile("/governance/assets/import", "file", "broken.xlsx", notWorkbook);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Excelファイルとして読めません");
        assertThat(register.count()).isEqualTo(before);
    }

    private WebClient officer() {
        var officer = fixtures.user("so-asset", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get("/governance/assets");
        return web;
    }
}
