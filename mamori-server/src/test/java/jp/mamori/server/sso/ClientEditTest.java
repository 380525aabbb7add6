package jp.mamori.server.sso;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.audit.StoredSecurityEvent;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * An administrator edits a registered application on {@code /admin/clients/{id}}: a relying party
 * built with the Nimbus SDK keeps signing users in after its redirect URI moved, and the old URI is
 * refused; a bad form is refused field by field and changes nothing; a rotated secret is shown once
 * and the previous one stops working.
 */
class ClientEditTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    SecurityEvents events;

    @Autowired
    RegisteredClientRepository clients;

    private HttpServer rp;
    private String rpBase = "";

    @BeforeEach
    void startRelyingParty() throws Exception {
        rp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rp.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        rp.start();
        rpBase = "http://127.0.0.1:" + rp.getAddress().getPort();
    }

    @AfterEach
    void stopRelyingParty() {
        rp.stop(0);
    }

    private WebClient administrator(IdentityFixtures.TestUser admin) {
        WebClient browser = signIn(admin);
        browser.get("/admin/clients");
        assertThat(browser.last().statusCode()).isEqualTo(200);
        return browser;
    }

    /** Registers a client through the page and returns its registration ID (not the client ID). */
    private String register(WebClient browser, String clientId, String redirect, boolean confidential) {
        var form = new LinkedHashMap<String, String>();
        form.put("clientId", clientId);
        form.put("name", "試験用電子カルテ");
        form.put("redirectUris", redirect);
        form.put("postLogoutRedirectUris", rpBase + "/signed-out");
        form.put("backchannelLogoutUri", rpBase + "/backchannel-logout");
        form.put("scopes", "openid profile");
        if (confidential) {
            form.put("confidential", "true");
        }
        var page = browser.post("/admin/clients", form);
        assertThat(page.statusCode()).isEqualTo(200);
        RegisteredClient client = clients.findByClientId(clientId);
        assertThat(client).isNotNull();
        return client.getId();
    }

    private Map<String, String> editForm(RegisteredClient client) {
        var form = new LinkedHashMap<String, String>();
        form.put("name", client.getClientName());
        form.put("redirectUris", String.join("\n", client.getRedirectUris()));
        form.put("postLogoutRedirectUris", String.join("\n", client.getPostLogoutRedirectUris()));
        form.put("backchannelLogoutUri", String.valueOf(BackChannelLogout.target(client)));
        form.put("scopes", String.join(" ", client.getScopes()));
        return form;
    }

    @Test
    void an_edited_redirect_uri_takes_effect_for_a_nimbus_relying_party_and_the_old_one_is_refused() throws Exception {
        var admin = fixtures.administrator();
        WebClient browser = administrator(admin);
        String clientId = "ehr-edit-" + UUID.randomUUID();
        URI oldRedirect = URI.create(rpBase + "/callback");
        URI newRedirect = URI.create(rpBase + "/oidc/callback");
        String id = register(browser, clientId, oldRedirect.toString(), false);

        var op = OIDCProviderMetadata.resolve(new Issuer(baseUrl()));
        var nurse = fixtures.user("edit-rp", JobType.NURSE, "NURSE");
        WebClient user = signIn(nurse);
        assertThat(signInThrough(op, user, clientId, oldRedirect).getSubject().getValue())
                .isEqualTo(nurse.loginId());

        // The administrator moves the application's callback and renames it.
        assertThat(browser.get("/admin/clients/" + id).body()).contains(oldRedirect.toString());
        var form = editForm(clients.findById(id));
        form.put("name", "試験用電子カルテ(新サーバ)");
        form.put("redirectUris", newRedirect.toString());
        var saved = browser.post("/admin/clients/" + id, form);
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(browser.path()).isEqualTo("/admin/clients/" + id + "?saved");
        RegisteredClient edited = clients.findById(id);
        assertThat(edited.getId()).isEqualTo(id);
        assertThat(edited.getClientId()).isEqualTo(clientId);
        assertThat(edited.getClientName()).isEqualTo("試験用電子カルテ(新サーバ)");
        assertThat(edited.getRedirectUris()).containsExactly(newRedirect.toString());
        assertThat(BackChannelLogout.target(edited)).isEqualTo(rpBase + "/backchannel-logout");
        assertThat(edited.getClientSettings().isRequireProofKey()).isTrue();

        // The relying party signs the same user in at its new address...
        assertThat(signInThrough(op, user, clientId, newRedirect).getSubject().getValue())
                .isEqualTo(nurse.loginId());
        // ...and a request with the old one is refused by Mamori, which does not redirect there.
        var refused = user.get(authorizationRequest(op, clientId, oldRedirect, new CodeVerifier()));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(user.last().uri().getPort()).isEqualTo(port);

        StoredSecurityEvent logged = events.latestOf(admin.id(), 5).stream()
                .filter(e -> e.type() == SecurityEventType.CLIENT_CHANGED
                        && "edit".equals(e.detail().get("action")))
                .findFirst()
                .orElseThrow();
        assertThat(logged.outcome()).isEqualTo(SecurityEvent.Outcome.SUCCESS);
        assertThat(logged.detail()).containsEntry("client", clientId).containsEntry("fields", "name,redirectUris");
    }

    @Test
    void a_bad_form_is_refused_field_by_field_and_stores_nothing() {
        var admin = fixtures.administrator();
        WebClient browser = administrator(admin);
        String clientId = "ehr-bad-" + UUID.randomUUID();
        String id = register(browser, clientId, rpBase + "/callback", false);
        RegisteredClient before = clients.findById(id);
        browser.get("/admin/clients/" + id);

        var form = editForm(before);
        form.put("name", "  ");
        form.put(
                "redirectUris",
                "https://ehr.example-hospital.jp/cb#top\nhttps://*.example-hospital.jp/cb\n/relative/cb");
        form.put("postLogoutRedirectUris", "http://ehr.example-hospital.jp/signed-out");
        form.put("backchannelLogoutUri", "ftp://ehr.example-hospital.jp/logout");
        form.put("scopes", "profile");
        var page = browser.post("/admin/clients/" + id, form);
        assertThat(page.statusCode()).isEqualTo(400);
        String body = page.body();
        assertThat(body).contains("id=\"form-errors\"");
        assertThat(section(body, "name-errors")).contains("入力してください");
        assertThat(section(body, "redirectUris-errors"))
                .contains("https://ehr.example-hospital.jp/cb#top")
                .contains("フラグメント")
                .contains("ワイルドカード")
                .contains("/relative/cb")
                .contains("絶対URI");
        assertThat(section(body, "postLogoutRedirectUris-errors")).contains("http は開発用");
        assertThat(section(body, "backchannelLogoutUri-errors")).contains("ftp://ehr.example-hospital.jp/logout");
        assertThat(section(body, "scopes-errors")).contains("openid");
        // What was typed stays in the form, to be corrected.
        assertThat(body).contains("https://*.example-hospital.jp/cb");

        RegisteredClient after = clients.findById(id);
        assertThat(after.getClientName()).isEqualTo(before.getClientName());
        assertThat(after.getRedirectUris()).isEqualTo(before.getRedirectUris());
        assertThat(after.getPostLogoutRedirectUris()).isEqualTo(before.getPostLogoutRedirectUris());
        assertThat(after.getScopes()).isEqualTo(before.getScopes());
        assertThat(BackChannelLogout.target(after)).isEqualTo(BackChannelLogout.target(before));

        StoredSecurityEvent refused = events.latestOf(admin.id(), 5).stream()
                .filter(e -> e.type() == SecurityEventType.CLIENT_CHANGED)
                .findFirst()
                .orElseThrow();
        assertThat(refused.outcome()).isEqualTo(SecurityEvent.Outcome.FAILURE);
        assertThat(refused.detail().get("fields"))
                .isEqualTo("name,redirectUris,postLogoutRedirectUris,backchannelLogoutUri,scopes");

        // English too, and the same rules when registering: nothing is registered.
        var english = browser.post(
                "/admin/clients?lang=en",
                Map.of(
                        "clientId", "ehr-bad-2-" + UUID.randomUUID(),
                        "name", "Test",
                        "redirectUris", "http://ehr.example-hospital.jp/cb",
                        "scopes", "openid"));
        assertThat(english.statusCode()).isEqualTo(400);
        assertThat(section(english.body(), "redirectUris-errors")).contains("Use https");
        var duplicate = browser.post(
                "/admin/clients",
                Map.of("clientId", clientId, "name", "Duplicate", "redirectUris", rpBase + "/cb", "scopes", "openid"));
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(section(duplicate.body(), "clientId-errors")).contains(clientId);
        assertThat(clients.findById(id).getClientName()).isEqualTo(before.getClientName());

        // Loopback http is accepted for development, and so is https with a port and a query.
        form = editForm(before);
        form.put("redirectUris", "http://localhost:8081/cb\nhttps://ehr.example-hospital.jp:8443/cb?tenant=1");
        assertThat(browser.post("/admin/clients/" + id, form).statusCode()).isEqualTo(200);
        assertThat(clients.findById(id).getRedirectUris())
                .containsExactlyInAnyOrder(
                        "http://localhost:8081/cb", "https://ehr.example-hospital.jp:8443/cb?tenant=1");
    }

    @Test
    void a_rotated_secret_is_shown_once_and_the_previous_one_stops_working() throws Exception {
        var admin = fixtures.administrator();
        WebClient browser = administrator(admin);
        String clientId = "recept-rotate-" + UUID.randomUUID();
        URI redirect = URI.create(rpBase + "/callback");
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
        String oldSecret = secretIn(page.body());
        String id = clients.findByClientId(clientId).getId();

        browser.get("/admin/clients/" + id);
        var rotated = browser.post("/admin/clients/" + id + "/secret", Map.of());
        assertThat(rotated.statusCode()).isEqualTo(200);
        String newSecret = secretIn(rotated.body());
        assertThat(newSecret).isNotEqualTo(oldSecret);
        assertThat(browser.get("/admin/clients/" + id).body()).doesNotContain(newSecret);
        assertThat(clients.findById(id).getClientSecret()).doesNotContain(newSecret);

        var op = OIDCProviderMetadata.resolve(new Issuer(baseUrl()));
        var clerk = fixtures.user("rotate-rp", JobType.CLERK, "CLERK");
        WebClient user = signIn(clerk);
        assertThat(redeemConfidential(op, user, clientId, redirect, oldSecret)).isFalse();
        assertThat(redeemConfidential(op, user, clientId, redirect, newSecret)).isTrue();

        var logged = events.latestOf(admin.id(), 5).stream()
                .filter(e -> "rotate-secret".equals(e.detail().get("action")))
                .findFirst()
                .orElseThrow();
        assertThat(logged.detail()).containsEntry("client", clientId);
        for (var event : events.latestOf(admin.id(), 20)) {
            assertThat(event.detail().values()).noneMatch(v -> v.contains(newSecret) || v.contains(oldSecret));
        }

        // A public client has no secret to rotate.
        String publicId = register(browser, "ehr-public-" + UUID.randomUUID(), redirect.toString(), false);
        browser.get("/admin/clients/" + publicId);
        var noSecret = browser.post("/admin/clients/" + publicId + "/secret", Map.of());
        assertThat(noSecret.body()).doesNotContain("id=\"new-secret\"");
        assertThat(clients.findById(publicId).getClientSecret()).isNull();
    }

    @Test
    void an_unknown_or_disabled_client_cannot_be_edited() {
        WebClient browser = administrator(fixtures.administrator());
        assertThat(browser.get("/admin/clients/" + UUID.randomUUID()).statusCode())
                .isEqualTo(404);
        String id = register(browser, "ehr-gone-" + UUID.randomUUID(), rpBase + "/cb", false);
        browser.post("/admin/clients/" + id + "/disable", Map.of());
        assertThat(browser.get("/admin/clients/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void a_user_without_the_administrator_role_cannot_edit_a_client() {
        WebClient admin = administrator(fixtures.administrator());
        String id = register(admin, "ehr-role-" + UUID.randomUUID(), rpBase + "/cb", false);
        WebClient nurse = signIn(fixtures.user("edit-nurse", JobType.NURSE, "NURSE"));
        nurse.get("/");
        var attempt = nurse.post(
                "/admin/clients/" + id,
                Map.of("name", "x", "redirectUris", "https://evil.example/cb", "scopes", "openid"));
        assertThat(attempt.statusCode()).isEqualTo(403);
        assertThat(clients.findById(id).getRedirectUris()).containsExactly(rpBase + "/cb");
    }

    private static String section(String body, String id) {
        int start = body.indexOf("id=\"" + id + "\"");
        assertThat(start).as("element #" + id).isGreaterThanOrEqualTo(0);
        return body.substring(start, body.indexOf("</ul>", start));
    }

    private static String secretIn(String body) {
        var m = Pattern.compile("<code>([A-Za-z0-9_-]{20,})</code>").matcher(body);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private String authorizationRequest(OIDCProviderMetadata op, String clientId, URI redirect, CodeVerifier verifier) {
        URI request = new AuthenticationRequest.Builder(
                        new ResponseType("code"), new Scope("openid", "profile"), new ClientID(clientId), redirect)
                .endpointURI(op.getAuthorizationEndpointURI())
                .state(new State())
                .nonce(new Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        return request.getRawPath() + "?" + request.getRawQuery();
    }

    /** The relying party's whole round: authorization request, code at its redirect URI, tokens, ID token check. */
    private com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet signInThrough(
            OIDCProviderMetadata op, WebClient user, String clientId, URI redirect) throws Exception {
        var verifier = new CodeVerifier();
        var nonce = new Nonce();
        URI request = new AuthenticationRequest.Builder(
                        new ResponseType("code"), new Scope("openid", "profile"), new ClientID(clientId), redirect)
                .endpointURI(op.getAuthorizationEndpointURI())
                .state(new State())
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        user.get(request.getRawPath() + "?" + request.getRawQuery());
        URI back = user.last().uri();
        assertThat(back.toString()).startsWith(redirect.toString());
        var tokens = OIDCTokenResponseParser.parse(new TokenRequest(
                        op.getTokenEndpointURI(),
                        new ClientID(clientId),
                        new AuthorizationCodeGrant(
                                new AuthorizationCode(query(back).get("code")), redirect, verifier))
                .toHTTPRequest()
                .send());
        assertThat(tokens.indicatesSuccess()).isTrue();
        return new IDTokenValidator(
                        op.getIssuer(),
                        new ClientID(clientId),
                        JWSAlgorithm.RS256,
                        op.getJWKSetURI().toURL())
                .validate(((OIDCTokenResponse) tokens).getOIDCTokens().getIDToken(), nonce);
    }

    private boolean redeemConfidential(
            OIDCProviderMetadata op, WebClient user, String clientId, URI redirect, String secret) throws Exception {
        URI request = new AuthenticationRequest.Builder(
                        new ResponseType("code"), new Scope("openid"), new ClientID(clientId), redirect)
                .endpointURI(op.getAuthorizationEndpointURI())
                .state(new State())
                .nonce(new Nonce())
                .build()
                .toURI();
        user.get(request.getRawPath() + "?" + request.getRawQuery());
        URI back = user.last().uri();
        assertThat(back.toString()).startsWith(redirect.toString());
        var grant = new AuthorizationCodeGrant(new AuthorizationCode(query(back).get("code")), redirect);
        return OIDCTokenResponseParser.parse(new TokenRequest(
                                op.getTokenEndpointURI(),
                                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)),
                                grant)
                        .toHTTPRequest()
                        .send())
                .indicatesSuccess();
    }

    private static Map<String, String> query(URI uri) {
        var map = new HashMap<String, String>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            map.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return map;
    }
}
