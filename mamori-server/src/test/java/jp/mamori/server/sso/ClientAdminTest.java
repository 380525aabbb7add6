package jp.mamori.server.sso;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.audit.StoredSecurityEvent;
import jp.mamori.server.identity.IdentityFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** An administrator registers a confidential client; its one-time secret works with client_secret_basic. */
class ClientAdminTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    SecurityEvents events;

    @Autowired
    org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository clients;

    @Test
    void registers_a_confidential_client_whose_secret_is_shown_once_and_works() throws Exception {
        var admin = fixtures.administrator();
        WebClient browser = newClient();
        browser.get("/login");
        browser.post("/login", Map.of("loginId", admin.loginId(), "password", admin.password()));
        browser.post("/login/totp", Map.of("code", admin.totp()));
        browser.get("/admin/clients");
        assertThat(browser.last().statusCode()).isEqualTo(200);

        String clientId = "recept-" + UUID.randomUUID();
        URI redirect = URI.create("http://127.0.0.1:9/cb");
        var page = browser.post(
                "/admin/clients",
                Map.of(
                        "clientId",
                        clientId,
                        "name",
                        "Test receipt system",
                        "redirectUris",
                        redirect.toString(),
                        "confidential",
                        "true"));
        var m = Pattern.compile("<code>([A-Za-z0-9_-]{20,})</code>").matcher(page.body());
        assertThat(m.find()).isTrue();
        String secret = m.group(1);
        assertThat(browser.get("/admin/clients").body()).contains(clientId).doesNotContain(secret);
        assertThat(events.latestOf(admin.id(), 10))
                .extracting(StoredSecurityEvent::type)
                .contains(SecurityEventType.CLIENT_CHANGED);

        var op = OIDCProviderMetadata.resolve(new Issuer(baseUrl()));
        URI request = new AuthenticationRequest.Builder(
                        new ResponseType("code"), new Scope("openid"), new ClientID(clientId), redirect)
                .endpointURI(op.getAuthorizationEndpointURI())
                .state(new State())
                .nonce(new com.nimbusds.openid.connect.sdk.Nonce())
                .build()
                .toURI();
        var client = java.net.http.HttpClient.newBuilder()
                .cookieHandler(browser.cookies())
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .build();
        var response = client.send(
                java.net.http.HttpRequest.newBuilder(
                                URI.create(baseUrl() + request.getRawPath() + "?" + request.getRawQuery()))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(redirect.toString());
        String code = null;
        for (String pair : location.getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                code = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        assertThat(code).isNotNull();
        var grant = new AuthorizationCodeGrant(new com.nimbusds.oauth2.sdk.AuthorizationCode(code), redirect);
        var wrong = new TokenRequest(
                op.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID(clientId), new Secret("wrong-secret")),
                grant);
        assertThat(OIDCTokenResponseParser.parse(wrong.toHTTPRequest().send()).indicatesSuccess())
                .isFalse();
        var right = new TokenRequest(
                op.getTokenEndpointURI(), new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), grant);
        assertThat(OIDCTokenResponseParser.parse(right.toHTTPRequest().send()).indicatesSuccess())
                .isTrue();

        // Disabled: the client is refused like an unknown one.
        var idMatcher = Pattern.compile("/admin/clients/([0-9a-f-]{36})/disable")
                .matcher(browser.get("/admin/clients").body());
        String registeredId = null;
        while (idMatcher.find()) {
            registeredId = idMatcher.group(1);
        }
        for (var c : java.util.List.of(registeredId)) {
            if (c != null
                    && clients.findById(c) != null
                    && clients.findById(c).getClientId().equals(clientId)) {
                browser.post("/admin/clients/" + c + "/disable", Map.of());
            }
        }
        assertThat(clients.findByClientId(clientId)).isNull();
        var refused = client.send(
                java.net.http.HttpRequest.newBuilder(
                                URI.create(baseUrl() + request.getRawPath() + "?" + request.getRawQuery()))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(refused.statusCode()).isEqualTo(400);
    }
}
