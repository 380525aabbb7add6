package jp.mamori.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/** A business application sends the browser to Mamori, and the browser comes back with a code. */
class SingleSignOnInBrowserTest extends BrowserTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    RegisteredClientRepository clients;

    private HttpServer rp;
    private String clientId;
    private String redirectUri;

    @BeforeEach
    void relyingParty() throws Exception {
        rp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rp.createContext("/callback", exchange -> {
            byte[] body = "<html><body><h1 id=\"ehr\">試験電子カルテ</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        rp.start();
        redirectUri = "http://127.0.0.1:" + rp.getAddress().getPort() + "/callback";
        clientId = "ehr-browser-" + UUID.randomUUID();
        clients.save(RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(clientId)
                .clientName("Browser test EHR")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(redirectUri)
                .scope(OidcScopes.OPENID)
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)
                        .requireAuthorizationConsent(false)
                        .build())
                .build());
    }

    @AfterEach
    void stop() {
        rp.stop(0);
    }

    @Test
    void the_application_gets_a_code_after_password_and_totp_in_a_real_browser() throws Exception {
        var doctor = fixtures.user("br-sso", JobType.DOCTOR, "DOCTOR");
        byte[] verifier = new byte[32];
        new java.security.SecureRandom().nextBytes(verifier);
        String v = Base64.getUrlEncoder().withoutPadding().encodeToString(verifier);
        String challenge = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.US_ASCII)));
        page.navigate(url("/oauth2/authorize?response_type=code&scope=openid&state=s1&client_id=" + clientId
                + "&redirect_uri=" + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8)
                + "&code_challenge_method=S256&code_challenge=" + challenge));
        page.waitForURL("**/login");
        page.fill("#loginId", doctor.loginId());
        page.fill("#password", doctor.password());
        page.click("#login-form button[type=submit]");
        page.waitForURL("**/login/second-factor");
        page.fill("#code", doctor.totp());
        page.click("#totp-form button[type=submit]");
        page.waitForURL(redirectUri + "**");
        assertThat(page.url()).contains("code=").contains("state=s1");
        assertThat(page.textContent("#ehr")).isEqualTo("試験電子カルテ");
    }
}
