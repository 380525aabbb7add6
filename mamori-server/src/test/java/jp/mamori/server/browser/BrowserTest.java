package jp.mamori.server.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.mamori.server.ServerTest;
import jp.mamori.server.identity.IdentityFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * Base of tests in a real browser: Debian's Chromium, headless, driven by Playwright, against the
 * running server. One browser per test class, a fresh profile (context) per test. Skipped with a
 * message where {@code /usr/bin/chromium} is not installed.
 */
@Tag("browser")
public abstract class BrowserTest extends ServerTest {

    static final Path CHROMIUM = Path.of(System.getProperty("mamori.chromium", "/usr/bin/chromium"));
    private static Playwright playwright;
    private static Browser browser;
    protected BrowserContext context;
    protected Page page;

    @BeforeAll
    static void launch() {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM + ": browser tests skipped");
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync")));
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void openContext() {
        context = browser.newContext(
                new Browser.NewContextOptions().setLocale("ja-JP").setViewportSize(1280, 860));
        page = context.newPage();
        page.setDefaultTimeout(15_000);
    }

    @AfterEach
    void closeContext() {
        if (context != null) {
            context.close();
        }
    }

    protected String url(String path) {
        return baseUrl() + path;
    }

    /** Signs in through the login page with password and TOTP code. */
    protected void signInInBrowser(IdentityFixtures.TestUser user) {
        page.navigate(url("/login"));
        page.fill("#loginId", user.loginId());
        page.fill("#password", user.password());
        page.click("#login-form button[type=submit]");
        page.waitForURL("**/login/second-factor");
        page.fill("#code", user.totp());
        page.click("#totp-form button[type=submit]");
        page.waitForURL(url("/"));
    }

    /** Saves a screenshot under target/screenshots for a person to look at. */
    protected void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Path.of("target", "screenshots", name + ".png"))
                .setFullPage(true));
    }
}
