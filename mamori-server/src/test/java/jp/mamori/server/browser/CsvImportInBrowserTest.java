package jp.mamori.server.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.options.FilePayload;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class CsvImportInBrowserTest extends BrowserTest {

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void an_auditor_uploads_an_export_checks_the_preview_imports_it_and_finds_the_patient() {
        var officer = fixtures.user("br-csv", JobType.DOCTOR, "SECURITY_OFFICER");
        String prefix = "b" + System.nanoTime() % 100000 + "-";
        signInInBrowser(officer);
        page.navigate(url("/audit"));
        page.click("#import-link");
        page.fill("#sourceSystem", "試験電子カルテ-" + prefix);
        page.setInputFiles(
                "#file",
                new FilePayload(
                        "access-202601.csv", "text/csv", jp.mamori.server.audit.CsvImportFixtures.export(prefix)));
        page.click("#upload-form button[type=submit]");
        page.waitForURL("**/audit/import/*");
        assertThat(page.locator("#preview")).containsText("試験 太郎");
        assertThat(page.locator("#preview")).containsText("2026/13/45");
        screenshot("csv-import-preview");

        page.click("#start-button");
        assertThat(page.locator("#import-state")).hasText("完了");
        assertThat(page.locator("#stored")).hasText("3");
        assertThat(page.locator("#failed")).hasText("4");
        assertThat(page.locator("#line-errors")).containsText("the line has 5 columns, the header has 8");
        assertThat(page.locator("#error-report")).isVisible();
        screenshot("csv-import-done");

        page.navigate(url("/audit?patient=" + prefix + "P-0001"));
        assertThat(page.locator("#timeline")).containsText(prefix + "dr-1");
        assertThat(page.locator("#timeline tr")).hasCount(3);
        // The export's own time, 09:15 in Japan, kept beside the time it was received.
        assertThat(page.locator("#timeline")).containsText("2026-01-05 09:15:00");
        screenshot("csv-import-search");
    }
}
