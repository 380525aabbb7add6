package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ChecklistPdfTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void the_pdf_carries_the_japanese_text_of_the_sheet_and_its_answers() throws Exception {
        var officer = fixtures.user("so-pdf", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get("/governance/checklist?year=2025&form=MEDICAL");
        web.post(
                "/governance/checklist/answer",
                ChecklistAnswersTest.answer("1-①", "NONE", "YES", "2025-04-10", "", "辞令"));

        var pdf = web.getBytes("/governance/checklist/export.pdf?year=2025&form=MEDICAL");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
        String text;
        try (var doc = Loader.loadPDF(pdf.body())) {
            text = new PDFTextStripper().getText(doc);
        }
        String flat = text.replaceAll("\\s+", "");
        assertThat(flat)
                .contains("令和7年度サイバーセキュリティ対策チェックリスト(医療機関確認用)")
                .contains("医療情報システムを導入、運用している。")
                .contains("医療情報システム安全管理責任者を設置している。")
                .contains("はい2025-04-10")
                .contains("文言未確認")
                .contains("接続元制限を実施している。");
    }
}
