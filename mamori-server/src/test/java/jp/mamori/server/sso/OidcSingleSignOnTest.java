package jp.mamori.server.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
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

/** A relying party built with the Nimbus SDK signs a user in through Mamori and is logged out again. */
class OidcSingleSignOnTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    RegisteredClientRepository clients;

    @Autowired
    SigningKeys keys;

    private HttpServer rp;
    private final BlockingQueue<String> logoutTokens = new LinkedBlockingQueue<>();
    private String clientId = "";
    private URI redirectUri = URI.create("http://127.0.0.1/");

    @BeforeEach
    void startRelyingParty() throws Exception {
        rp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rp.createContext("/callback", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        rp.createContext("/backchannel-logout", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
            for (String pair : body.split("&")) {
                if (pair.startsWith("logout_token=")) {
                    logoutTokens.add(URLDecoder.decode(pair.substring(13), StandardCharsets.US_ASCII));
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        rp.start();
        String rpBase = "http://127.0.0.1:" + rp.getAddress().getPort();
        redirectUri = URI.create(rpBase + "/callback");
        clientId = "ehr-" + UUID.randomUUID();
        clients.save(RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(clientId)
                .clientName("Test EHR")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(redirectUri.toString())
                .postLogoutRedirectUri(rpBase + "/callback")
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)
                        .requireAuthorizationConsent(false)
                        .setting(BackChannelLogout.SETTING, rpBase + "/backchannel-logout")
                        .build())
                .build());
    }

    @AfterEach
    void stopRelyingParty() {
        rp.stop(0);
    }

    private OIDCProviderMetadata discovery() throws Exception {
        return OIDCProviderMetadata.resolve(new Issuer(baseUrl()));
    }

    private record SignedIn(WebClient browser, AuthorizationCode code, CodeVerifier verifier, Nonce nonce) {}

    private SignedIn authorize(OIDCProviderMetadata op, IdentityFixtures.TestUser user) {
        var verifier = new CodeVerifier();
        var nonce = new Nonce();
        URI request = new AuthenticationRequest.Builder(
                        new ResponseType("code"), new Scope("openid", "profile"), new ClientID(clientId), redirectUri)
                .endpointURI(op.getAuthorizationEndpointURI())
                .state(new State())
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        WebClient browser = newClient();
        String path = request.getRawPath() + "?" + request.getRawQuery();
        browser.get(path);
        assertThat(browser.path()).isEqualTo("/login");
        browser.post("/login", Map.of("loginId", user.loginId(), "password", user.password()));
        assertThat(browser.path()).isEqualTo("/login/second-factor");
        browser.post("/login/totp", Map.of("code", user.totp()));
        if (!browser.last().uri().toString().startsWith(redirectUri.toString())) {
            browser.get(path);
        }
        URI back = browser.last().uri();
        assertThat(back.toString()).startsWith(redirectUri.toString());
        String code = query(back).get("code");
        assertThat(code).isNotNull();
        return new SignedIn(browser, new AuthorizationCode(code), verifier, nonce);
    }

    @Test
    void a_passkey_sign_in_reports_hwk_user_and_mfa_in_the_id_token() throws Exception {
        var op = discovery();
        var nurse = fixtures.user("sso-pk", JobType.NURSE, "NURSE");
        var key = new jp.mamori.server.identity.SoftwareAuthenticator("localhost", baseUrl());
        WebClient owner = signIn(nurse);
        owner.get("/account");
        String creation = owner.postJson("/webauthn/register/options", null).body();
        assertThat(owner.postJson("/webauthn/register", key.register(creation, "SSO試験"))
                        .statusCode())
                .isEqualTo(200);

        var verifier = new CodeVerifier();
        var nonce = new Nonce();
        URI request = new AuthenticationRequest.Builder(
                        new ResponseType("code"), new Scope("openid", "profile"), new ClientID(clientId), redirectUri)
                .endpointURI(op.getAuthorizationEndpointURI())
                .state(new State())
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        WebClient browser = newClient();
        browser.get(request.getRawPath() + "?" + request.getRawQuery());
        assertThat(browser.path()).isEqualTo("/login");
        String options =
                browser.postJson("/webauthn/authenticate/options", null).body();
        var answer = browser.postJson("/login/webauthn", key.assertion(options));
        assertThat(answer.statusCode()).isEqualTo(200);
        String next = answer.body().replaceAll("(?s).*\"redirectUrl\":\"([^\"]+)\".*", "$1");
        URI again = URI.create(next);
        browser.get(again.getRawPath() + "?" + again.getRawQuery());
        URI back = browser.last().uri();
        assertThat(back.toString()).startsWith(redirectUri.toString());

        TokenResponse response = redeem(op, new AuthorizationCode(query(back).get("code")), verifier);
        JWT idToken = ((OIDCTokenResponse) response).getOIDCTokens().getIDToken();
        var claims = new IDTokenValidator(
                        op.getIssuer(),
                        new ClientID(clientId),
                        JWSAlgorithm.RS256,
                        op.getJWKSetURI().toURL())
                .validate(idToken, nonce);
        assertThat(claims.getStringListClaim("amr")).containsExactly("hwk", "user", "mfa");
        assertThat(claims.getStringClaim("acr")).isEqualTo("mamori:mfa");
    }

    private static Map<String, String> query(URI uri) {
        var map = new java.util.HashMap<String, String>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            map.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return map;
    }

    private TokenResponse redeem(OIDCProviderMetadata op, AuthorizationCode code, CodeVerifier verifier)
            throws Exception {
        var request = new TokenRequest(
                op.getTokenEndpointURI(),
                new ClientID(clientId),
                new AuthorizationCodeGrant(code, redirectUri, verifier));
        return OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
    }

    @Test
    void signs_in_with_code_and_pkce_and_logs_out_over_the_back_channel() throws Exception {
        var op = discovery();
        var doctor = fixtures.user("sso", JobType.DOCTOR, "DOCTOR");
        var signedIn = authorize(op, doctor);

        TokenResponse response = redeem(op, signedIn.code(), signedIn.verifier());
        assertThat(response.indicatesSuccess()).isTrue();
        JWT idToken = ((OIDCTokenResponse) response).getOIDCTokens().getIDToken();

        var validator = new IDTokenValidator(
                op.getIssuer(),
                new ClientID(clientId),
                JWSAlgorithm.RS256,
                op.getJWKSetURI().toURL());
        var claims = validator.validate(idToken, signedIn.nonce());
        assertThat(claims.getSubject().getValue()).isEqualTo(doctor.loginId());
        assertThat(claims.getStringListClaim("amr")).contains("pwd", "otp", "mfa");
        assertThat(claims.getStringClaim("acr")).isEqualTo("mamori:mfa");
        assertThat(claims.getStringClaim("job_type")).isEqualTo("DOCTOR");
        assertThat(claims.getStringListClaim("roles")).contains("DOCTOR");
        assertThat(claims.getStringClaim("name")).isNotBlank();
        assertThat(claims.getAuthenticationTime()).isNotNull();
        String sid = claims.getStringClaim("sid");
        assertThat(sid).isNotBlank();

        // A tampered ID token fails the signature check.
        String[] parts = idToken.serialize().split("\\.");
        String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA" + "." + parts[2];
        assertThatThrownBy(() -> validator.validate(JWTParser.parse(forged), signedIn.nonce()))
                .isInstanceOf(Exception.class);

        // The user logs out of Mamori: the relying party receives a signed logout token.
        signedIn.browser().get("/");
        signedIn.browser().post("/logout", Map.of());
        String logoutToken = logoutTokens.poll(20, TimeUnit.SECONDS);
        assertThat(logoutToken).isNotNull();
        JWTClaimsSet logout = verify(op, logoutToken);
        assertThat(((SignedJWT) JWTParser.parse(logoutToken))
                        .getHeader()
                        .getType()
                        .toString())
                .isEqualTo("logout+jwt");
        assertThat(logout.getStringClaim("sid")).isEqualTo(sid);
        assertThat(logout.getSubject()).isEqualTo(doctor.loginId());
        assertThat(logout.getAudience()).containsExactly(clientId);
        // The same issuer as the ID token (before the issuer was kept per sign-in, logout tokens had an empty iss).
        assertThat(logout.getIssuer()).isEqualTo(op.getIssuer().getValue());
        assertThat(logout.getJSONObjectClaim("events")).containsKey(BackChannelLogout.EVENT);
        assertThat(logout.getClaim("nonce")).isNull();
        assertThat(logout.getJWTID()).isNotBlank();
    }

    private static JWTClaimsSet verify(OIDCProviderMetadata op, String token) throws Exception {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSTypeVerifier((header, context) -> {});
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                JWSAlgorithm.RS256,
                new com.nimbusds.jose.jwk.source.ImmutableJWKSet<>(
                        com.nimbusds.jose.jwk.JWKSet.load(op.getJWKSetURI().toURL()))));
        return processor.process(token, null);
    }

    @Test
    void a_token_signed_before_rotation_still_validates_after() throws Exception {
        var op = discovery();
        var nurse = fixtures.user("rot", JobType.NURSE, "NURSE");
        var signedIn = authorize(op, nurse);
        JWT idToken = ((OIDCTokenResponse) redeem(op, signedIn.code(), signedIn.verifier()))
                .getOIDCTokens()
                .getIDToken();
        String oldKid = ((SignedJWT) idToken).getHeader().getKeyID();
        String newKid = keys.rotate();
        assertThat(newKid).isNotEqualTo(oldKid);
        var validator = new IDTokenValidator(
                op.getIssuer(),
                new ClientID(clientId),
                JWSAlgorithm.RS256,
                op.getJWKSetURI().toURL());
        assertThat(validator.validate(idToken, signedIn.nonce()).getSubject().getValue())
                .isEqualTo(nurse.loginId());
    }

    @Test
    void refuses_a_missing_or_wrong_pkce_verifier() throws Exception {
        var op = discovery();
        var clerk = fixtures.user("pkce", JobType.CLERK, "CLERK");
        var signedIn = authorize(op, clerk);
        var missing = new TokenRequest(
                op.getTokenEndpointURI(),
                new ClientID(clientId),
                new AuthorizationCodeGrant(signedIn.code(), redirectUri));
        assertThat(OIDCTokenResponseParser.parse(missing.toHTTPRequest().send()).indicatesSuccess())
                .isFalse();
        var other = fixtures.user("pkce2", JobType.CLERK, "CLERK");
        var second = authorize(op, other);
        assertThat(redeem(op, second.code(), new CodeVerifier()).indicatesSuccess())
                .isFalse();
    }

    @Test
    void refuses_a_wrong_redirect_uri_and_an_unknown_client() throws Exception {
        var op = discovery();
        var verifier = new CodeVerifier();
        WebClient browser =
                authorize(op, fixtures.user("badreq", JobType.CLERK, "CLERK")).browser();
        for (var pair : List.of(
                Map.entry(clientId, URI.create("http://127.0.0.1:1/elsewhere")),
                Map.entry("no-such-client", redirectUri))) {
            URI request = new AuthenticationRequest.Builder(
                            new ResponseType("code"), new Scope("openid"), new ClientID(pair.getKey()), pair.getValue())
                    .endpointURI(op.getAuthorizationEndpointURI())
                    .state(new State())
                    .codeChallenge(verifier, CodeChallengeMethod.S256)
                    .build()
                    .toURI();
            var response = browser.get(request.getRawPath() + "?" + request.getRawQuery());
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(browser.last().uri().getPort()).isEqualTo(port);
        }
    }

    @Autowired
    org.springframework.context.ApplicationEventPublisher publisher;

    @Autowired
    org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService authorizations;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;

    @Test
    void a_displaced_session_logs_the_user_out_of_the_application_and_revokes_the_tokens() throws Exception {
        var op = discovery();
        var nurse = fixtures.user("displaced", JobType.NURSE, "NURSE");
        var signedIn = authorize(op, nurse);
        var tokens = (OIDCTokenResponse) redeem(op, signedIn.code(), signedIn.verifier());
        String sid = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");
        String cookie = signedIn.browser().cookies().getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("SESSION"))
                .findFirst()
                .orElseThrow()
                .getValue();
        String sessionId = new String(java.util.Base64.getDecoder().decode(cookie), StandardCharsets.UTF_8);
        assertThat(SessionTrackingAuthorizationService.sid(sessionId)).isEqualTo(sid);

        transactions.executeWithoutResult(tx -> publisher.publishEvent(new jp.mamori.server.identity.SessionEnded(
                nurse.id(),
                nurse.loginId(),
                sessionId,
                null,
                jp.mamori.server.identity.SessionEnded.Reason.DISPLACED)));
        String logoutToken = logoutTokens.poll(20, TimeUnit.SECONDS);
        assertThat(logoutToken).isNotNull();
        assertThat(verify(op, logoutToken).getStringClaim("sid")).isEqualTo(sid);

        // The authorization of that session is revoked: its access token no longer resolves.
        String accessToken = tokens.getOIDCTokens().getAccessToken().getValue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (authorizations.findByToken(accessToken, null) != null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(authorizations.findByToken(accessToken, null)).isNull();
    }

    @Test
    void a_new_tap_on_the_shared_terminal_logs_the_previous_user_out_of_the_application() throws Exception {
        var op = discovery();
        var terminal = fixtures.terminal(300);
        var first = fixtures.user("tap-first", JobType.NURSE, "NURSE");
        var second = fixtures.user("tap-second", JobType.NURSE, "NURSE");
        String firstCard = fixtures.card(first, "3846");
        String secondCard = fixtures.card(second, "5938");

        // The first nurse taps in, then opens the EHR, which signs her in through Mamori without asking again.
        WebClient ward = terminalBrowser(terminal.credential());
        tap(ward, firstCard, "3846");
        assertThat(ward.path()).isEqualTo("/");
        var verifier = new CodeVerifier();
        URI request = new AuthenticationRequest.Builder(
                        new ResponseType("code"), new Scope("openid", "profile"), new ClientID(clientId), redirectUri)
                .endpointURI(op.getAuthorizationEndpointURI())
                .state(new State())
                .nonce(new Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        ward.get(request.getRawPath() + "?" + request.getRawQuery());
        assertThat(ward.last().uri().toString()).startsWith(redirectUri.toString());
        var tokens = (OIDCTokenResponse)
                redeem(op, new AuthorizationCode(query(ward.last().uri()).get("code")), verifier);
        var claims = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertThat(claims.getStringListClaim("amr")).contains("sc", "pin", "mfa");
        assertThat(claims.getStringClaim("terminal")).isEqualTo(terminal.name());

        // The next nurse taps in on the same PC: the first one's EHR session gets its logout token.
        WebClient sameTerminal = terminalBrowser(terminal.credential());
        tap(sameTerminal, secondCard, "5938");
        assertThat(sameTerminal.path()).isEqualTo("/");
        String logoutToken = logoutTokens.poll(20, TimeUnit.SECONDS);
        assertThat(logoutToken).as("logout token for the displaced nurse").isNotNull();
        var logout = verify(op, logoutToken);
        assertThat(logout.getSubject()).isEqualTo(first.loginId());
        assertThat(logout.getStringClaim("sid")).isEqualTo(claims.getStringClaim("sid"));
    }

    @Test
    void logout_started_by_the_application_reaches_the_back_channel() throws Exception {
        var op = discovery();
        var pharmacist = fixtures.user("rplogout", JobType.PHARMACIST, "PHARMACIST");
        var signedIn = authorize(op, pharmacist);
        var tokens = (OIDCTokenResponse) redeem(op, signedIn.code(), signedIn.verifier());
        String idToken = tokens.getOIDCTokens().getIDTokenString();
        String sid = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");
        URI logout = new com.nimbusds.openid.connect.sdk.LogoutRequest(
                        op.getEndSessionEndpointURI(),
                        JWTParser.parse(idToken),
                        URI.create(redirectUri.toString()),
                        new State())
                .toURI();
        signedIn.browser().get(logout.getRawPath() + "?" + logout.getRawQuery());
        assertThat(signedIn.browser().last().uri().toString()).startsWith(redirectUri.toString());
        String logoutToken = logoutTokens.poll(20, TimeUnit.SECONDS);
        assertThat(logoutToken).isNotNull();
        assertThat(verify(op, logoutToken).getStringClaim("sid")).isEqualTo(sid);
        signedIn.browser().get("/");
        assertThat(signedIn.browser().path()).isEqualTo("/login");
    }

    @SuppressWarnings("unused")
    private static final Duration WAIT = Duration.ofSeconds(20);
}
