package jp.mamori.server.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class SharedTerminalInBrowserTest extends BrowserTest {

    @Autowired
    IdentityFixtures fixtures;

    private void activate(Page p, IdentityFixtures.TestTerminal terminal) {
        p.navigate(url("/terminal/activate"));
        p.fill("#credential", terminal.credential());
        p.click("form button[type=submit]");
        p.waitForURL("**/terminal/lock");
    }

    private void tap(Page p, String uid, String pin) {
        p.navigate(url("/terminal/lock"));
        p.fill("#cardUid", uid);
        p.press("#cardUid", "Enter");
        p.fill("#pin", pin);
        p.click("#tap-form button[type=submit]");
    }

    @Test
    void the_idle_terminal_locks_itself_with_a_visible_countdown() {
        var terminal = fixtures.terminal(15);
        var nurse = fixtures.user("br-idle", JobType.NURSE, "NURSE");
        String uid = fixtures.card(nurse, "6381");
        activate(page, terminal);
        screenshot("terminal-lock");
        tap(page, uid, "6381");
        page.waitForURL(url("/"));
        assertThat(page.locator("#idle-countdown")).containsText("自動ロックまで");
        screenshot("terminal-signed-in");
        // The page counts down and locks by itself after 15 seconds without input.
        page.waitForURL("**/terminal/lock", new Page.WaitForURLOptions().setTimeout(30_000));
        assertThat(page.locator(".notice")).containsText("ロックされています");
        tap(page, uid, "6381");
        page.waitForURL(url("/"));
    }

    @Test
    void a_second_nurse_tapping_in_displaces_the_first() {
        var terminal = fixtures.terminal(300);
        var first = fixtures.user("br-first", JobType.NURSE, "NURSE");
        var second = fixtures.user("br-second", JobType.NURSE, "NURSE");
        String firstCard = fixtures.card(first, "7294");
        String secondCard = fixtures.card(second, "8352");
        activate(page, terminal);
        tap(page, firstCard, "7294");
        page.waitForURL(url("/"));
        assertThat(page.locator(".topbar .user")).hasText("試験 " + first.loginId());

        // The same shared PC, the next person: the lock screen, a tap, and the first user is gone.
        page.navigate(url("/terminal/lock"));
        tap(page, secondCard, "8352");
        page.waitForURL(url("/"));
        assertThat(page.locator(".topbar .user")).hasText("試験 " + second.loginId());

        // A second window still holding the first user's session finds it ended.
        BrowserContext other = context;
        Page again = other.newPage();
        again.navigate(url("/"));
        assertThat(again.locator(".topbar .user")).hasText("試験 " + second.loginId());
        org.assertj.core.api.Assertions.assertThat(fixtures.activeAccountOn(terminal.id()))
                .isEqualTo(second.id());
    }
}
