package jp.mamori.server.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.Media;
import java.nio.charset.StandardCharsets;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class VendorsInBrowserTest extends BrowserTest {

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void the_security_officer_registers_a_vendor_its_mds_and_prints_the_contact_chart() {
        signInInBrowser(fixtures.user("br-vendor", JobType.IT, "SECURITY_OFFICER"));
        String name = "試験ネットワーク保守株式会社-" + System.nanoTime();
        page.navigate(url("/governance/vendors"));
        page.fill("#vendor-form input[name=name]", name);
        page.fill("#vendor-form textarea[name=systems]", "院内ネットワーク\nVPN装置");
        page.click("#vendor-form button[type=submit]");
        assertThat(page.locator("h1")).containsText(name);
        assertThat(page.locator("#vendor-reminders")).containsText("緊急連絡先がありません");

        page.fill("#contact-form input[name=contactName]", "試験 夜間当番");
        page.fill("#contact-form input[name=phone]", "03-0000-0099");
        page.check("#contact-form input[name=emergency]");
        page.check("#contact-form input[name=aroundTheClock]");
        page.click("#contact-form button[type=submit]");
        assertThat(page.locator("#contacts")).containsText("試験 夜間当番");

        // changed in place: the contact's row opens into its form
        page.click("#contacts details summary");
        page.fill("#contacts form[id^=contact-] input[name=role]", "夜間保守窓口");
        page.click("#contacts form[id^=contact-] button[type=submit]");
        assertThat(page.locator("#contacts")).containsText("夜間保守窓口");

        page.fill("#contract-form input[name=title]", "ネットワーク保守契約");
        page.fill("#contract-form input[name=validFrom]", "2025-04-01");
        page.fill("#contract-form input[name=validTo]", "2025-03-01");
        page.click("#contract-form button[type=submit]");
        assertThat(page.locator("#vendor-errors")).containsText("「契約終了日」が契約開始日より前です");
        // what was typed is still there to correct
        assertThat(page.locator("#contract-form input[name=title]")).hasValue("ネットワーク保守契約");

        page.selectOption("#document-form select[name=kind]", "SDS");
        page.selectOption("#document-form select[name=system]", "VPN装置");
        page.fill("#document-form input[name=edition]", "Ver.5.0");
        page.fill("#document-form input[name=receivedOn]", "2025-05-01");
        page.setInputFiles(
                "#document-form input[name=file]",
                new FilePayload("SDS_VPN.pdf", "application/pdf", "%PDF-1.4\n% 試験\n".getBytes(StandardCharsets.UTF_8)));
        page.click("#document-form button[type=submit]");
        assertThat(page.locator("#documents")).containsText("SDS_VPN.pdf");
        assertThat(page.locator("#documents")).containsText("application/pdf");
        screenshot("vendor");

        page.click("#form-years a:has-text('令和7年度')");
        page.fill("#tracking-form input[name=sentOn]", "2025-06-02");
        page.fill("#tracking-form input[name=dueOn]", "2025-06-30");
        page.click("#tracking-form button[type=submit]");
        assertThat(page.locator("#form-status")).hasText("期限超過");
        page.selectOption("#answers-form select[name='cell:2-③/NONE']", "YES");
        page.click("#answers-form button[type=submit]");
        assertThat(page.locator("#answers-form select[name='cell:2-③/NONE']")).hasValue("YES");
        screenshot("vendor-form");

        page.navigate(url("/governance/vendors"));
        assertThat(page.locator("#reminders")).containsText("「" + name + "」院内ネットワーク のMDS/SDSを受け取っていません。");
        screenshot("vendors");

        page.click("#open-chart");
        assertThat(page.locator("#contact-chart")).containsText("試験 夜間当番");
        page.emulateMedia(new Page.EmulateMediaOptions().setMedia(Media.PRINT));
        assertThat(page.locator("header.topbar")).isHidden();
        assertThat(page.locator("#contact-chart")).isVisible();
        screenshot("vendor-contact-chart-print");

        page.emulateMedia(new Page.EmulateMediaOptions().setMedia(Media.SCREEN));
        page.navigate(url("/governance/vendors/contact-chart?lang=en"));
        assertThat(page.locator("h1")).containsText("Contact chart");
    }
}
