package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ChecklistExportTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void the_sheet_as_excel_has_the_ministrys_columns_the_answers_and_the_unverified_marks() throws Exception {
        var officer = fixtures.user("so-xlsx", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get("/governance/checklist?year=2025&form=MEDICAL");
        web.post(
                "/governance/checklist/answer",
                ChecklistAnswersTest.answer("3-③", "NONE", "NO", "2025-05-20", "2026-01-31", "BCP draft"));

        var xlsx = web.getBytes("/governance/checklist/export.xlsx?year=2025&form=MEDICAL");
        assertThat(xlsx.statusCode()).isEqualTo(200);
        List<List<String>> rows = new ArrayList<>();
        DataFormatter f = new DataFormatter();
        try (var wb = WorkbookFactory.create(new ByteArrayInputStream(xlsx.body()))) {
            assertThat(wb.getSheetAt(0).getSheetName()).isEqualTo("医療機関確認用");
            for (Row row : wb.getSheetAt(0)) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    cells.add(row.getCell(i) == null ? "" : f.formatCellValue(row.getCell(i)));
                }
                rows.add(cells);
            }
        }
        assertThat(rows.get(0).get(0)).isEqualTo("令和7年度 サイバーセキュリティ対策チェックリスト(医療機関確認用)");
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("番号", "確認事項", "対象", "回答", "確認日", "目標日"));
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("前提", "医療情報システムを導入、運用している。"));
        assertThat(rows).anySatisfy(r -> assertThat(r)
                .containsExactly("3-③", "サイバー攻撃を想定した事業継続計画(BCP)を策定している。", "", "いいえ", "2025-05-20", "2026-01-31", ""));
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.get(0)).isEqualTo("2-⑩");
            assertThat(r.get(6)).startsWith("文言未確認");
        });
        // 2-④ has two columns, サーバ and 端末PC: two rows
        assertThat(rows.stream().filter(r -> r.get(2).equals("端末PC")).count()).isGreaterThanOrEqualTo(4);
    }
}
