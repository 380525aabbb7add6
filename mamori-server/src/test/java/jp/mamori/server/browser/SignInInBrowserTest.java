package jp.mamori.server.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import jp.mamori.server.TestClock;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class SignInInBrowserTest extends BrowserTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void signs_in_with_password_and_totp_and_sees_the_dashboard() {
        var doctor = fixtures.user("br-doc", JobType.DOCTOR, "DOCTOR");
        page.navigate(url("/login"));
        screenshot("login");
        signInInBrowser(doctor);
        assertThat(page.locator(".topbar .user")).hasText("試験 " + doctor.loginId());
        assertThat(page.locator("h1")).containsText("ダッシュボード");
        screenshot("dashboard");
    }

    @Test
    void the_administrator_sees_the_account_register_and_the_permission_matrix() {
        var admin = fixtures.administrator();
        fixtures.user("br-matrix-dr", JobType.DOCTOR, "DOCTOR");
        signInInBrowser(admin);
        page.navigate(url("/admin/accounts"));
        assertThat(page.locator("#accounts")).containsText(admin.loginId());
        assertThat(page.locator(".badge.admin").first()).isVisible();
        screenshot("admin-accounts");
        page.navigate(url("/admin/permissions"));
        assertThat(page.locator("#matrix")).containsText("診療録");
        // A doctor may write clinical records: a W in that row.
        assertThat(page.locator(
                                "#matrix tr",
                                new com.microsoft.playwright.Page.LocatorOptions().setHasText("br-matrix-dr"))
                        .locator(".badge.W")
                        .first())
                .isVisible();
        screenshot("admin-permissions");
        page.navigate(url("/audit"));
        assertThat(page.locator("#checkpoint")).containsText("mamori.local/audit");
        screenshot("access-log");
    }

    @Test
    void a_wrong_totp_code_shows_the_japanese_error() {
        var nurse = fixtures.user("br-wrong", JobType.NURSE, "NURSE");
        page.navigate(url("/login"));
        page.fill("#loginId", nurse.loginId());
        page.fill("#password", nurse.password());
        page.click("#login-form button[type=submit]");
        page.waitForURL("**/login/second-factor");
        page.fill("#code", nurse.totp().equals("000000") ? "111111" : "000000");
        page.click("#totp-form button[type=submit]");
        assertThat(page.locator("p.error")).containsText("コードが正しくないか");
    }

    @Test
    void break_the_glass_in_the_browser_shows_the_banner() {
        var doctor = fixtures.user("br-bg", JobType.DOCTOR, "DOCTOR");
        page.navigate(url("/login"));
        page.click("text=緊急時アクセス");
        page.fill("#loginId", doctor.loginId());
        page.fill("#password", doctor.password());
        page.fill("#reason", "ICカード破損のため、救急搬送患者の処方を確認");
        page.click("#emergency-form button[type=submit]");
        page.waitForURL(url("/"));
        assertThat(page.locator("#break-glass-banner")).containsText("緊急時アクセス中");
        screenshot("break-glass");
    }
}
