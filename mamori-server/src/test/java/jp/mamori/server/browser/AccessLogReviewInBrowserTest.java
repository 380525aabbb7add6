package jp.mamori.server.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import jp.mamori.server.TestClock;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AccessLogReviewInBrowserTest extends BrowserTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void the_security_officer_works_through_the_month_and_signs_it_off() {
        var officer = fixtures.user("br-review", JobType.IT, "SECURITY_OFFICER");
        signInInBrowser(officer);
        page.navigate(url("/audit"));
        page.click("#review-link");
        Locator current = page.locator("#review-periods tr[data-state]").first();
        assertThat(current).containsText("未実施(期間中)");
        current.locator("a").first().click();
        assertThat(page.locator("#check-BREAK_GLASS")).containsText("緊急時アクセス");
        assertThat(page.locator("#check-VENDOR")).containsText("外部接続の台帳に登録された承認時間帯");
        assertThat(page.locator("#vendor-windows")).containsText("時間帯外");
        assertThat(page.locator("#sign-off")).hasCount(0);
        screenshot("review-worksheet-running");

        // A month later the period is due; the officer writes the notes and signs off.
        LocalDate start = LocalDate.now(ZoneId.of("Asia/Tokyo")).withDayOfMonth(1);
        clock.advance(Duration.ofDays(32));
        page.navigate(url("/audit/review/" + start));
        assertThat(page.locator("#review-state")).containsText("未実施");
        for (Locator note : page.locator("#review-form textarea").all()) {
            note.fill("試験の所見: 確認済み");
        }
        page.click("#sign-off");
        assertThat(page.locator("#review-signed")).containsText("確認を完了しました");
        assertThat(page.locator(".signed-review pre.checkpoint")).containsText("— mamori.local/audit");
        screenshot("review-signed-off");

        page.navigate(url("/"));
        assertThat(page.locator(".card", new com.microsoft.playwright.Page.LocatorOptions().setHasText("アクセスログの定期確認")))
                .isVisible();
    }
}
