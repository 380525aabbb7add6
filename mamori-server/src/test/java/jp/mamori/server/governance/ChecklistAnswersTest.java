package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ChecklistAnswersTest extends ServerTest {

    private static final String PAGE = "/governance/checklist?year=2025&form=MEDICAL";

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void the_security_officer_answers_an_item_and_every_change_stays_in_its_history() {
        var officer = fixtures.user("so-ans", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get(PAGE);
        assertThat(web.last().statusCode()).isEqualTo(200);
        assertThat(web.last().body())
                .contains("医療情報システムを導入、運用している。")
                .contains("サーバ、端末PC、ネットワーク機器の台帳管理を行っている。")
                .contains("文言未確認");

        String first = "procedure-v1-" + System.nanoTime();
        var r = web.post("/governance/checklist/answer", answer("2-⑫", "S", "NO", "2025-06-01", "2026-02-27", first));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(web.last().body()).contains(first).contains("目標日 2026-02-27");

        String second = "procedure-v2-" + System.nanoTime();
        web.post("/governance/checklist/answer", answer("2-⑫", "S", "YES", "2025-09-01", "", second));
        web.get("/governance/checklist/history?year=2025&form=MEDICAL&item=2-⑫");
        String history = web.last().body();
        assertThat(history).contains(first).contains(second).contains("試験 " + officer.loginId());
        assertThat(history.indexOf(second)).isLessThan(history.indexOf(first));
    }

    @Test
    void a_no_without_a_target_date_or_with_one_outside_the_fiscal_year_is_refused_and_nothing_is_stored() {
        var officer = fixtures.user("so-bad", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get(PAGE);
        String marker = "bad-" + System.nanoTime();

        var missing = web.post("/governance/checklist/answer", answer("2-⑬", "N", "NO", "2025-06-01", "", marker));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("項目 2-⑬: 「いいえ」には令和7年度中の目標日が必要です。");

        var outside =
                web.post("/governance/checklist/answer", answer("2-⑬", "N", "NO", "2025-06-01", "2026-04-01", marker));
        assertThat(outside.statusCode()).isEqualTo(400);
        assertThat(outside.body()).contains("目標日 2026-04-01 は令和7年度(2025-04-01〜2026-03-31)の外です");

        var before =
                web.post("/governance/checklist/answer", answer("2-⑬", "N", "NO", "2025-06-01", "2025-03-31", marker));
        assertThat(before.statusCode()).isEqualTo(400);

        var badDate = web.post("/governance/checklist/answer", answer("2-⑬", "N", "YES", "June first", "", marker));
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(badDate.body()).contains("「June first」は日付として読めません");

        var noColumn = web.post("/governance/checklist/answer", answer("2-⑬", "S", "YES", "2025-06-01", "", marker));
        assertThat(noColumn.statusCode()).isEqualTo(400);
        assertThat(noColumn.body()).contains("項目 2-⑬ に対象「S」の回答欄はありません");

        web.get("/governance/checklist/history?year=2025&form=MEDICAL&item=2-⑬");
        assertThat(web.last().body()).doesNotContain(marker);

        var english = web.post(
                "/governance/checklist/answer?lang=en", answer("2-⑬", "N", "NO", "2025-06-01", "2027-01-01", marker));
        assertThat(english.body()).contains("the target date 2027-01-01 is outside 令和7年度 (2025-04-01 to 2026-03-31)");
    }

    @Test
    void an_htmx_answer_gets_back_only_the_items_rows() {
        var officer = fixtures.user("so-htmx", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get(PAGE);
        String marker = "htmx-" + System.nanoTime();
        var r = web.postHtmx("/governance/checklist/answer", answer("3-①", "NONE", "YES", "2025-05-01", "", marker));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .startsWith("<tbody")
                .contains("id=\"item-3-①\"")
                .contains(marker)
                .doesNotContain("<html");
        var refused =
                web.postHtmx("/governance/checklist/answer", answer("3-①", "NONE", "NO", "2025-05-01", "", marker));
        assertThat(refused.body()).contains("目標日が必要です").contains("role=\"alert\"");
    }

    @Test
    void the_gate_answered_no_means_nothing_else_needs_answering() {
        var officer = fixtures.user("so-gate", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get("/governance/checklist?year=2024&form=PHARMACY");
        assertThat(web.last().body()).contains("令和6年度 薬局確認用");
        web.post("/governance/checklist/answer", gate2024());
        web.get("/governance/checklist?year=2024&form=PHARMACY");
        assertThat(web.last().body()).contains("id=\"no-system\"").contains("回答不要");
    }

    @Test
    void an_auditor_reads_the_checklist_but_cannot_answer_and_a_nurse_cannot_open_it() {
        var auditor = fixtures.user("aud-gov", JobType.IT, "AUDITOR");
        WebClient web = signIn(auditor);
        web.get(PAGE);
        assertThat(web.last().statusCode()).isEqualTo(200);
        assertThat(web.last().body()).contains("閲覧のみです").doesNotContain("class=\"answer-form\"");
        var refused = web.post("/governance/checklist/answer", answer("2-⑪", "ALL", "YES", "2025-06-01", "", "x"));
        assertThat(refused.statusCode()).isEqualTo(403);

        var nurse = fixtures.user("ns-gov", JobType.NURSE, "NURSE");
        WebClient nurseWeb = signIn(nurse);
        assertThat(nurseWeb.get(PAGE).statusCode()).isEqualTo(403);
        assertThat(nurseWeb.get("/governance").statusCode()).isEqualTo(403);
    }

    private static Map<String, String> gate2024() {
        Map<String, String> form = answer("0", "NONE", "NO", "2024-06-01", "", "no system here");
        form.put("year", "2024");
        form.put("form", "PHARMACY");
        return form;
    }

    static Map<String, String> answer(
            String item, String target, String reply, String checkedOn, String targetOn, String evidence) {
        Map<String, String> form = new HashMap<>();
        form.put("year", "2025");
        form.put("form", "MEDICAL");
        form.put("item", item);
        form.put("target", target);
        form.put("reply", reply);
        form.put("checkedOn", checkedOn);
        form.put("targetOn", targetOn);
        form.put("evidence", evidence);
        return form;
    }
}
