package jp.mamori.server.governance;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import java.time.Duration;
import java.time.Instant;
import jp.mamori.server.browser.BrowserTest;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AccountReviewInBrowserTest extends BrowserTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    AccountReviews reviews;

    @Test
    void the_security_officer_works_through_an_account_review_and_signs_it_off() {
        var officer = fixtures.user("br-ar", JobType.IT, "SECURITY_OFFICER");
        var vendor = fixtures.vendor("br-ar-vendor", Instant.now().minus(Duration.ofDays(3)));
        reviews.open().ifPresent(r -> finish(r.id(), officer));
        signInInBrowser(officer);

        page.navigate(url("/governance/account-review"));
        page.click("#start-form button[type=submit]");
        assertThat(page.locator("#review-state")).containsText("開始");
        long id = reviews.open().orElseThrow().id();
        assertThat(page.locator("#sign-off-form button[type=submit]")).isDisabled();

        // Every other account with findings is decided elsewhere; the vendor's is decided here.
        for (var r : reviews.rows(id)) {
            if (r.flagged() && r.accountId() != vendor.id()) {
                reviews.decide(
                        id,
                        r.accountId(),
                        AccountReviews.Decision.KEEP,
                        "試験で継続",
                        false,
                        AccountReviewTest.principal(officer));
            }
        }
        page.click("#keep-unflagged");
        Locator row = page.locator("#account-" + vendor.id());
        assertThat(row).containsText("期限切れのまま有効");
        assertThat(row).containsText("未判断");
        row.locator("select[name=decision]").selectOption("DISABLE");
        row.locator("input[name=note]").fill("保守契約終了(試験)");
        row.locator("button[type=submit]").click();
        assertThat(page.locator("#account-" + vendor.id())).containsText("保守契約終了(試験)");
        assertThat(page.locator("#account-" + vendor.id())).containsText("無効化");
        screenshot("governance-account-review");

        page.fill("#sign-off-form input[name=summary]", "全アカウント確認(試験)");
        page.click("#sign-off-form button[type=submit]");
        assertThat(page.locator("#review-state")).containsText("署名しました");
        assertThat(page.locator("#rows form")).hasCount(0);
        assertThat(reviews.review(id).orElseThrow().signedOff()).isTrue();

        page.navigate(url("/governance"));
        assertThat(page.locator("#account-review-due"))
                .containsText(reviews.today().plusMonths(6).toString());
        assertThat(page.locator("#pack-download")).isVisible();
        screenshot("governance-overview-pack");
    }

    private void finish(long id, IdentityFixtures.TestUser who) {
        reviews.keepUnflagged(id, AccountReviewTest.person(who));
        for (var r : reviews.rows(id)) {
            if (r.decision() == null) {
                reviews.decide(
                        id,
                        r.accountId(),
                        AccountReviews.Decision.KEEP,
                        "試験で継続",
                        false,
                        AccountReviewTest.principal(who));
            }
        }
        reviews.signOff(id, null, AccountReviewTest.person(who));
    }
}
