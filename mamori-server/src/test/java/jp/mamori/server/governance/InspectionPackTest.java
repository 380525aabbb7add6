package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import jp.mamori.backup.engine.BackupRun;
import jp.mamori.backup.engine.Drill;
import jp.mamori.backup.engine.Keys;
import jp.mamori.backup.engine.Progress;
import jp.mamori.backup.repository.KeyFile;
import jp.mamori.backup.repository.LocalBackend;
import jp.mamori.backup.repository.Repository;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestClock;
import jp.mamori.server.WebClient;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pack for an on-site inspection, in a server of its own (so that what is missing at first is
 * really missing) whose access-log review periods are one day long, so that a period can end and be
 * signed off within the test.
 */
class InspectionPackTest extends ServerTest {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    private static final String ADMIN_PASS = "pack test admin passphrase (synthetic)";
    private static final String APPEND_PASS = "pack test append passphrase (synthetic)";

    @DynamicPropertySource
    static void oneDayReviews(DynamicPropertyRegistry registry) {
        registry.add("mamori.audit.review.period", () -> "P1D");
        registry.add("mamori.audit.review.grace", () -> "P2D");
    }

    @TempDir
    static Path tmp;

    static Path repoDir;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    AccountReviews reviews;

    @Autowired
    SecurityEvents securityEvents;

    @Autowired
    TestClock clock;

    @BeforeAll
    static void aBackupWithADrill() throws Exception {
        System.setProperty("mamori.backup.kdf.memory-kib", "1024");
        System.setProperty("mamori.backup.kdf.iterations", "1");
        repoDir = tmp.resolve("repo");
        Path docs = Files.createDirectories(tmp.resolve("documents"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(docs.resolve("note-" + i + ".txt"), ("試験文書 (synthetic) " + i + "\n").repeat(50));
        }
        try (Repository repo = Repository.init(new LocalBackend(repoDir), ADMIN_PASS.toCharArray(), 0)) {
            new Keys(repo).add(APPEND_PASS.toCharArray(), KeyFile.APPEND, "server");
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(docs), "documents"));
            new Drill(repo, Progress.SILENT).run("latest", tmp.resolve("sandbox"), false);
        } finally {
            System.clearProperty("mamori.backup.kdf.memory-kib");
            System.clearProperty("mamori.backup.kdf.iterations");
        }
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void the_pack_holds_every_record_with_an_index_and_says_what_is_missing() throws Exception {
        var officer = fixtures.user("pack-so", JobType.IT, "SECURITY_OFFICER");
        var admin = fixtures.administrator();
        WebClient web = signIn(officer);
        web.get("/governance");
        assertThat(web.last().body()).contains("id=\"pack-download\"").contains("value=\"2025\"");

        // At first only the checklist is there; the index says what is not.
        var first = web.getBytes("/governance/inspection-pack.zip?year=2025");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type").orElse("")).startsWith("application/zip");
        assertThat(first.headers().firstValue("Content-Disposition").orElse(""))
                .contains("filename*=UTF-8''")
                .contains(".zip");
        Map<String, byte[]> empty = unzip(first.body());
        assertThat(empty.keySet())
                .containsExactly("00_目次.pdf", "01_チェックリスト_令和7年度_医療機関確認用.pdf", "01_チェックリスト_令和7年度_医療機関確認用.xlsx");
        String emptyIndex = AccountReviewTest.pdfText(empty.get("00_目次.pdf"));
        assertThat(emptyIndex)
                .contains("立入検査用資料一式目次")
                .contains("TestHospital")
                .contains("機器台帳なし機器が登録されていません")
                .contains("アカウント棚卸し記録なし署名済みのアカウント棚卸しがありません")
                .contains("アクセスログの定期確認の記録なし署名済みの定期確認がありません")
                .contains("バックアップの復旧訓練の記録なし記録された復旧訓練がありません")
                .contains("委託事業者の連絡体制図なし事業者が登録されていません")
                .contains("外部接続の台帳とネットワーク構成図なし接続が登録されていません");

        // Then the institution keeps its records: an answer, an asset, an account review, the
        // access log's review of today, a watched backup with its drill.
        web.get("/governance/checklist?year=2025&form=MEDICAL");
        web.post(
                "/governance/checklist/answer",
                ChecklistAnswersTest.answer("1-①", "NONE", "YES", "2025-04-10", "", "辞令(試験)"));
        String assetName = "試験サーバ-" + System.nanoTime();
        web.get("/governance/assets");
        web.post("/governance/assets", Map.of("name", assetName, "kind", "SERVER", "location", "機械室"));
        assertThat(web.last().statusCode()).isEqualTo(200);

        long reviewId = reviews.start(reviews.today(), AccountReviewTest.person(officer));
        reviews.keepUnflagged(reviewId, AccountReviewTest.person(officer));
        for (var r : reviews.rows(reviewId)) {
            if (r.decision() == null) {
                reviews.decide(
                        reviewId,
                        r.accountId(),
                        AccountReviews.Decision.KEEP,
                        "試験で継続",
                        false,
                        AccountReviewTest.principal(officer));
            }
        }
        reviews.signOff(reviewId, "包括の試験", AccountReviewTest.person(officer));

        WebClient adminWeb = signIn(admin);
        adminWeb.get("/backup");
        adminWeb.post(
                "/backup/repositories",
                Map.of("name", "試験文書庫", "location", repoDir.toString(), "passphrase", APPEND_PASS));
        assertThat(adminWeb.last().body()).contains("試験文書庫");

        LocalDate today = LocalDate.now(JST);
        clock.advance(Duration.ofDays(1));
        web.get("/audit/review/" + today);
        web.post("/audit/review/" + today, auditNotes());
        assertThat(web.last().body()).contains("確認を完了しました");

        var full = web.getBytes("/governance/inspection-pack.zip?year=2025");
        assertThat(full.statusCode()).isEqualTo(200);
        Map<String, byte[]> pack = unzip(full.body());
        String accountReviewPdf = "03_アカウント棚卸し_" + today + ".pdf";
        String auditReviewPdf = "04_アクセスログ定期確認_" + today + "_" + today + ".pdf";
        assertThat(pack.keySet())
                .containsExactly(
                        "00_目次.pdf",
                        "01_チェックリスト_令和7年度_医療機関確認用.pdf",
                        "01_チェックリスト_令和7年度_医療機関確認用.xlsx",
                        "02_機器台帳.xlsx",
                        "02_機器台帳.csv",
                        accountReviewPdf,
                        auditReviewPdf,
                        "05_復旧訓練の記録.json");
        assertUtf8Flags(full.body(), pack.size());

        String index = AccountReviewTest.pdfText(pack.get("00_目次.pdf"));
        for (String name : pack.keySet()) {
            assertThat(index).contains(name);
        }
        assertThat(index).doesNotContain("署名済みのアカウント棚卸しがありません").contains("基準日" + today);

        assertThat(AccountReviewTest.pdfText(pack.get("01_チェックリスト_令和7年度_医療機関確認用.pdf")))
                .contains("令和7年度サイバーセキュリティ対策チェックリスト(医療機関確認用)")
                .contains("はい2025-04-10");
        try (var wb = WorkbookFactory.create(new ByteArrayInputStream(pack.get("01_チェックリスト_令和7年度_医療機関確認用.xlsx")))) {
            assertThat(text(wb.getSheetAt(0)))
                    .contains("施設名: Test Hospital")
                    .contains("1-①")
                    .contains("はい");
        }
        try (var wb = WorkbookFactory.create(new ByteArrayInputStream(pack.get("02_機器台帳.xlsx")))) {
            assertThat(text(wb.getSheetAt(0)))
                    .contains("名称")
                    .contains(assetName)
                    .contains("機械室");
        }
        assertThat(new String(pack.get("02_機器台帳.csv"), StandardCharsets.UTF_8)).contains(assetName);
        assertThat(AccountReviewTest.pdfText(pack.get(accountReviewPdf)))
                .contains("アカウント棚卸し記録(基準日" + today + ")")
                .contains("包括の試験")
                .contains(officer.loginId());
        assertThat(AccountReviewTest.pdfText(pack.get(auditReviewPdf)))
                .contains("アクセスログ定期確認記録")
                .contains("異常なし(試験)");
        JsonNode drills = JsonMapper.builder().build().readTree(pack.get("05_復旧訓練の記録.json"));
        assertThat(drills.get("drills")).hasSize(1);
        JsonNode drill = drills.get("drills").get(0);
        assertThat(drill.get("repository").asString()).isEqualTo("試験文書庫");
        assertThat(drill.get("passed").asBoolean()).isTrue();
        assertThat(drill.get("signatureValid").asBoolean()).isTrue();
        assertThat(new String(pack.get("05_復旧訓練の記録.json"), StandardCharsets.UTF_8))
                .doesNotContain(APPEND_PASS);

        assertThat(securityEvents.latest(20)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(SecurityEventType.GOVERNANCE_EXPORTED);
            assertThat(e.detail()).containsEntry("what", "inspection_pack").containsEntry("fiscal_year", "2025");
            assertThat(e.loginId()).isEqualTo(officer.loginId());
        });
    }

    @Test
    void a_year_without_a_sheet_is_refused_and_staff_without_a_governance_role_get_nothing() {
        var officer = fixtures.user("pack-bad", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get("/governance");
        var unknown = web.get("/governance/inspection-pack.zip?year=1999");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("1999年度の様式 MEDICAL のチェックリストはありません");
        var garbled = web.get("/governance/inspection-pack.zip?year=R7");
        assertThat(garbled.statusCode()).isEqualTo(400);
        assertThat(garbled.body()).contains("年度「R7」は数字で指定してください");

        var nurse = fixtures.user("pack-nurse", JobType.NURSE, "NURSE");
        WebClient other = signIn(nurse);
        assertThat(other.getBytes("/governance/inspection-pack.zip?year=2025").statusCode())
                .isEqualTo(403);
    }

    private static Map<String, String> auditNotes() {
        Map<String, String> notes = new HashMap<>();
        for (String check :
                List.of("BREAK_GLASS", "VENDOR", "OFF_HOURS", "FAILED_SIGN_IN", "ADMINISTRATIVE", "MASS_ACCESS")) {
            notes.put("note." + check, "所見: 試験");
        }
        notes.put("summary", "異常なし(試験)");
        return notes;
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

    /** Every entry of the central directory has the UTF-8 flag (general purpose bit 11) set. */
    private static void assertUtf8Flags(byte[] zip, int entries) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        while (b.getInt(end) != 0x06054b50) {
            end--;
        }
        int count = b.getShort(end + 10) & 0xFFFF;
        int at = b.getInt(end + 16);
        assertThat(count).isEqualTo(entries);
        for (int i = 0; i < count; i++) {
            assertThat(b.getInt(at)).isEqualTo(0x02014b50);
            int flags = b.getShort(at + 8) & 0xFFFF;
            int nameLength = b.getShort(at + 28) & 0xFFFF;
            String name = new String(zip, at + 46, nameLength, StandardCharsets.UTF_8);
            assertThat(flags & 0x0800).as("UTF-8 flag of " + name).isNotZero();
            at += 46 + nameLength + (b.getShort(at + 30) & 0xFFFF) + (b.getShort(at + 32) & 0xFFFF);
        }
    }

    private static String text(Sheet sheet) {
        DataFormatter f = new DataFormatter();
        StringBuilder b = new StringBuilder();
        sheet.forEach(
                row -> row.forEach(cell -> b.append(f.formatCellValue(cell)).append('\n')));
        return b.toString();
    }
}
