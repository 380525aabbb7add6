package jp.mamori.server.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ConnectionsInBrowserTest extends BrowserTest {

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void the_security_officer_registers_a_vendor_line_and_sees_it_in_the_diagram() {
        var officer = fixtures.user("br-conn", JobType.IT, "SECURITY_OFFICER");
        signInInBrowser(officer);
        String tag = String.valueOf(System.nanoTime() % 100_000);

        page.navigate(url("/governance/connections"));
        assertThat(page.locator("h1")).hasText("外部接続・ネットワーク構成");
        page.locator("#segment-form input[name=name]").fill("電子カルテ系LAN-" + tag);
        page.locator("#segment-form select[name=zone]").selectOption("EHR");
        page.locator("#segment-form input[name=cidr]").fill("10.50.0.0/16");
        page.locator("#segment-form button[type=submit]").click();
        assertThat(page.locator("#segment-table")).containsText("電子カルテ系LAN-" + tag);

        page.locator("#connection-form input[name=name]").fill("保守回線-" + tag);
        page.locator("#connection-form select[name=kind]").selectOption("REMOTE_MAINTENANCE");
        page.locator("#connection-form select[name=fromSegment]")
                .selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("電子カルテ系LAN-" + tag));
        page.locator("#connection-form input[name=externalParty]").fill("保守センター-" + tag);
        page.locator("#connection-form input[name=vendorName]").fill("試験保守株式会社");
        page.locator("#connection-form textarea[name=windows]").fill("火 25:00-26:00");
        page.locator("#connection-form button[type=submit]").click();
        // refused: the field is named, what was typed stays, nothing is stored
        assertThat(page.locator("#connection-errors")).containsText("「承認時間帯」1 行目「火 25:00-26:00」");
        assertThat(page.locator("#connection-form textarea[name=windows]")).hasValue("火 25:00-26:00");

        page.locator("#connection-form textarea[name=windows]").fill("火 13:00-17:00");
        page.locator("#connection-form button[type=submit]").click();
        assertThat(page.locator("#findings")).containsText("接続元制限なし");

        page.navigate(url("/governance/connections"));
        assertThat(page.locator("#connection-table")).containsText("保守回線-" + tag);
        var diagram = page.locator("#network-diagram");
        assertThat(diagram).isVisible();
        // the image was loaded and drawn, not a broken image
        Object width = diagram.evaluate("img => img.complete && img.naturalWidth");
        assertThat(((Number) width).intValue()).isGreaterThan(600);
        screenshot("governance-connections");

        page.navigate(url("/governance/connections/diagram.svg"));
        assertThat(page.locator("svg")).isVisible();
        assertThat(page.locator("g.connection.finding.remote")
                        .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("保守回線-" + tag)))
                .containsText("承認: 火 13:00-17:00");
    }
}
