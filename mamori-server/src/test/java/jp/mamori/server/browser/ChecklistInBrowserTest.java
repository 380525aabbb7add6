package jp.mamori.server.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ChecklistInBrowserTest extends BrowserTest {

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void the_security_officer_answers_an_item_in_place_and_the_dashboard_counts_it() {
        var officer = fixtures.user("br-so", JobType.IT, "SECURITY_OFFICER");
        signInInBrowser(officer);
        Locator card = page.locator("a.card", new Page.LocatorOptions().setHasText("チェックリスト(はい)"));
        int before = answeredYes(card.locator(".value").textContent());

        page.navigate(url("/governance/checklist?year=2025&form=MEDICAL"));
        assertThat(page.locator("h1")).containsText("令和7年度 医療機関確認用");
        assertThat(page.locator("#item-2-⑩ .badge.unverified")).hasText("文言未確認");
        screenshot("governance-checklist");

        Locator item = page.locator("#item-2-②");
        item.locator("input[name=reply][value=YES]").check();
        item.locator("input[name=evidence]").fill("保守契約書の確認記録(試験)");
        item.locator(".answer-form button[type=submit]").click();
        // htmx swaps the item's rows in place: the answer and its answerer appear without a reload
        assertThat(page.locator("#answer-2-②-ALL")).containsText("はい");
        assertThat(page.locator("#answer-2-②-ALL")).containsText("試験 " + officer.loginId());
        assertThat(page).hasURL(url("/governance/checklist?year=2025&form=MEDICAL"));
        screenshot("governance-answered");

        page.navigate(url("/"));
        assertThat(answeredYes(card.locator(".value").textContent())).isEqualTo(before + 1);

        page.navigate(url("/governance"));
        assertThat(page.locator("#coverage svg")).isVisible();
        screenshot("governance-overview");
    }

    private static int answeredYes(String value) {
        return Integer.parseInt(value.split("/")[0].strip());
    }
}
