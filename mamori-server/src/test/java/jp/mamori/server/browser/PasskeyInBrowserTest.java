package jp.mamori.server.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Passkeys in Chromium with the DevTools Protocol's virtual authenticator standing in for Windows
 * Hello or Touch ID: a platform authenticator (transport "internal") that verifies the user.
 */
class PasskeyInBrowserTest extends BrowserTest {

    @Autowired
    IdentityFixtures fixtures;

    private void platformAuthenticator() {
        CDPSession cdp = context.newCDPSession(page);
        cdp.send("WebAuthn.enable");
        JsonObject options = new JsonObject();
        options.addProperty("protocol", "ctap2");
        options.addProperty("transport", "internal");
        options.addProperty("hasResidentKey", true);
        options.addProperty("hasUserVerification", true);
        options.addProperty("isUserVerified", true);
        options.addProperty("automaticPresenceSimulation", true);
        JsonObject params = new JsonObject();
        params.add("options", options);
        cdp.send("WebAuthn.addVirtualAuthenticator", params);
    }

    @Test
    void a_doctor_registers_a_passkey_on_the_account_page_and_signs_in_with_it() {
        var doctor = fixtures.user("br-pk", JobType.DOCTOR, "DOCTOR");
        platformAuthenticator();
        signInInBrowser(doctor);

        page.navigate(url("/account"));
        page.fill("#passkey-label", "診察室PC 顔認証");
        screenshot("passkey-register");
        page.click("#passkey-register button[type=submit]");
        page.waitForURL("**/account?passkeyAdded=1");
        assertThat(page.locator("#passkeys")).containsText("診察室PC 顔認証");
        screenshot("passkey-registered");

        // A new visit: no session, only the passkey on the device.
        context.clearCookies();
        page.navigate(url("/login"));
        assertThat(page.locator("#passkey-button")).hasText("パスキーでサインイン");
        screenshot("passkey-login");
        page.click("#passkey-button");
        page.waitForURL(url("/"));
        assertThat(page.locator(".topbar .user")).hasText("試験 " + doctor.loginId());
        screenshot("passkey-signed-in");
    }
}
