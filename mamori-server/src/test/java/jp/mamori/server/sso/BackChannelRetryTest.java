package jp.mamori.server.sso;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
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
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestClock;
import jp.mamori.server.WebClient;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * Back-channel logout when the application is down or failing: the logout token is tried again with
 * a growing delay (the test moves the clock instead of waiting), reaches the application exactly once
 * when it is back, and is given up — logged, and shown to the administrator — after the last attempt.
 */
class BackChannelRetryTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    RegisteredClientRepository clients;

    @Autowired
    BackChannelDeliveries deliveries;

    @Autowired
    BackChannelLogoutRetry retry;

    @Autowired
    BackChannelLogoutSettings settings;

    @Autowired
    SecurityEvents events;

    @Autowired
    TestClock clock;

    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() {
        servers.forEach(s -> s.stop(0));
        clock.reset();
    }

    /**
     * The application's back-channel logout endpoint: answers 500 to its first {@code failFirst}
     * requests, then checks each logout token as OpenID Connect Back-Channel Logout 1.0 §2.6 asks —
     * signature against Mamori's JWKS, {@code typ}, {@code iss}, {@code aud}, {@code iat}, the
     * {@code events} member, {@code sid} and {@code sub}, no {@code nonce} — and answers 200 only
     * to a valid one.
     */
    private final class Application {
        final AtomicInteger requests = new AtomicInteger();
        final List<JWTClaimsSet> accepted = new CopyOnWriteArrayList<>();
        final List<String> rejected = new CopyOnWriteArrayList<>();

        HttpServer start(int port, int failFirst, OIDCProviderMetadata op, String clientId) throws Exception {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/backchannel-logout", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
                int n = requests.incrementAndGet();
                int status;
                if (n <= failFirst) {
                    status = 500;
                } else {
                    try {
                        accepted.add(validate(op, clientId, token(body)));
                        status = 200;
                    } catch (Exception invalid) {
                        rejected.add(invalid.toString());
                        status = 400;
                    }
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
            servers.add(server);
            return server;
        }
    }

    private static String token(String form) {
        for (String pair : form.split("&")) {
            if (pair.startsWith("logout_token=")) {
                return URLDecoder.decode(pair.substring(13), StandardCharsets.US_ASCII);
            }
        }
        throw new IllegalArgumentException("no logout_token in the request");
    }

    private static JWTClaimsSet validate(OIDCProviderMetadata op, String clientId, String token) throws Exception {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("logout+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(JWKSet.load(op.getJWKSetURI().toURL()))));
        JWTClaimsSet claims = processor.process(token, null);
        if (!op.getIssuer().getValue().equals(claims.getIssuer())) {
            throw new IllegalArgumentException("iss");
        }
        if (!claims.getAudience().contains(clientId) || claims.getIssueTime() == null) {
            throw new IllegalArgumentException("aud or iat");
        }
        var eventsClaim = claims.getJSONObjectClaim("events");
        if (eventsClaim == null || !eventsClaim.containsKey(BackChannelLogout.EVENT)) {
            throw new IllegalArgumentException("events");
        }
        if (claims.getStringClaim("sid") == null || claims.getSubject() == null) {
            throw new IllegalArgumentException("sid and sub");
        }
        if (claims.getClaim("nonce") != null) {
            throw new IllegalArgumentException("nonce");
        }
        return claims;
    }

    /** The database keeps microseconds; the clock may have nanoseconds. */
    private static void assertNear(java.time.Instant actual, java.time.Instant expected) {
        assertThat(actual).isNotNull();
        assertThat(Duration.between(actual, expected).abs()).isLessThan(Duration.ofMillis(1));
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private RegisteredClient client(int port) {
        String base = "http://127.0.0.1:" + port;
        var client = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId("ehr-retry-" + UUID.randomUUID())
                .clientName("Test EHR (retry)")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(base + "/callback")
                .scope(OidcScopes.OPENID)
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)
                        .requireAuthorizationConsent(false)
                        .setting(BackChannelLogout.SETTING, base + "/backchannel-logout")
                        .build())
                .build();
        clients.save(client);
        return client;
    }

    /** Signs the user in to the client through Mamori; returns the browser and the ID token's sid. */
    private Map.Entry<WebClient, String> signInThrough(
            OIDCProviderMetadata op, RegisteredClient client, IdentityFixtures.TestUser user) throws Exception {
        WebClient browser = signIn(user);
        URI redirect = URI.create(client.getRedirectUris().iterator().next());
        var verifier = new CodeVerifier();
        URI request = new AuthenticationRequest.Builder(
                        new ResponseType("code"), new Scope("openid"), new ClientID(client.getClientId()), redirect)
                .endpointURI(op.getAuthorizationEndpointURI())
                .state(new State())
                .nonce(new Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        // Nothing may listen at the redirect URI yet: only the Location of Mamori's answer matters.
        var noRedirects = java.net.http.HttpClient.newBuilder()
                .cookieHandler(browser.cookies())
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .build();
        var answer = noRedirects.send(
                java.net.http.HttpRequest.newBuilder(
                                URI.create(baseUrl() + request.getRawPath() + "?" + request.getRawQuery()))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        URI back = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertThat(back.toString()).startsWith(redirect.toString());
        String code = null;
        for (String pair : back.getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                code = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        var tokens = (OIDCTokenResponse) OIDCTokenResponseParser.parse(new TokenRequest(
                        op.getTokenEndpointURI(),
                        new ClientID(client.getClientId()),
                        new AuthorizationCodeGrant(new AuthorizationCode(code), redirect, verifier))
                .toHTTPRequest()
                .send());
        String sid = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");
        assertThat(sid).isNotBlank();
        return Map.entry(browser, sid);
    }

    /** Waits (real time, briefly) until the client's only delivery satisfies the condition. */
    private BackChannelDeliveries.Delivery awaitDelivery(
            RegisteredClient client, Predicate<BackChannelDeliveries.Delivery> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            var all = deliveries.allOf(client.getId());
            if (all.size() == 1 && condition.test(all.get(0))) {
                return all.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("delivery not as expected: " + all);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void a_logout_token_refused_while_the_application_is_down_or_failing_arrives_once_when_it_is_back()
            throws Exception {
        var op = OIDCProviderMetadata.resolve(new Issuer(baseUrl()));
        int port = freePort();
        RegisteredClient client = client(port);
        var nurse = fixtures.user("bcl-retry", JobType.NURSE, "NURSE");
        var signedIn = signInThrough(op, client, nurse);
        String sid = signedIn.getValue();
        clock.freeze();

        // The application is down: the first attempt, right at logout, finds nobody listening.
        signedIn.getKey().get("/");
        signedIn.getKey().post("/logout", Map.of());
        var first = awaitDelivery(client, d -> d.attempts() == 1);
        assertThat(first.state()).isEqualTo(BackChannelDeliveries.State.PENDING);
        assertThat(first.lastStatus()).isZero();
        assertThat(first.lastError()).isEqualTo("ConnectException");
        assertThat(first.sid()).isEqualTo(sid);
        assertNear(first.nextAttemptAt(), first.createdAt().plus(settings.firstDelay()));

        // It comes back, but answers 500 at first.
        var application = new Application();
        application.start(port, 1, op, client.getClientId());
        assertThat(retry.retryDue()).as("nothing is due before the first delay").isZero();
        assertThat(application.requests).hasValue(0);

        clock.advance(settings.firstDelay());
        retry.retryDue();
        var second = awaitDelivery(client, d -> d.attempts() == 2);
        assertThat(second.state()).isEqualTo(BackChannelDeliveries.State.PENDING);
        assertThat(second.lastStatus()).isEqualTo(500);
        assertThat(application.requests).hasValue(1);
        // The delay doubles: half of it is not enough.
        Duration doubled = settings.delayAfter(2);
        assertThat(doubled).isEqualTo(settings.firstDelay().multipliedBy(2));
        assertNear(second.nextAttemptAt(), clock.instant().plus(doubled));
        clock.advance(doubled.dividedBy(2));
        assertThat(retry.retryDue()).isZero();
        assertThat(application.requests).hasValue(1);

        // The third attempt is delivered, and the application accepts the token.
        clock.advance(doubled.dividedBy(2));
        retry.retryDue();
        awaitDelivery(client, d -> d.attempts() == 3);
        assertThat(application.rejected).isEmpty();
        var delivered = awaitDelivery(client, d -> d.state() == BackChannelDeliveries.State.DELIVERED);
        assertThat(delivered.attempts()).isEqualTo(3);
        assertThat(delivered.lastStatus()).isEqualTo(200);
        assertThat(delivered.nextAttemptAt()).isNull();
        assertThat(application.rejected).isEmpty();
        assertThat(application.accepted).hasSize(1);
        JWTClaimsSet token = application.accepted.get(0);
        assertThat(token.getStringClaim("sid")).isEqualTo(sid);
        assertThat(token.getSubject()).isEqualTo(nurse.loginId());
        assertThat(token.getAudience()).containsExactly(client.getClientId());

        // Delivered once: later rounds send nothing more.
        clock.advance(Duration.ofHours(2));
        assertThat(retry.retryDue()).isZero();
        assertThat(application.requests).hasValue(2);
        assertThat(application.accepted).hasSize(1);

        // Every attempt is in the access log, with what the application answered.
        var attempts = events.latestOf(nurse.id(), 20).stream()
                .filter(e -> "backchannel-logout".equals(e.detail().get("action"))
                        && client.getClientId().equals(e.detail().get("client")))
                .toList();
        assertThat(attempts)
                .extracting(e -> e.detail().get("attempt") + ":" + e.outcome() + ":"
                        + e.detail().get("status"))
                .containsExactly("3:SUCCESS:200", "2:FAILURE:500", "1:FAILURE:0");
    }

    @Test
    void after_the_last_attempt_the_delivery_is_given_up_logged_and_shown_to_the_administrator() throws Exception {
        var op = OIDCProviderMetadata.resolve(new Issuer(baseUrl()));
        int port = freePort();
        RegisteredClient client = client(port);
        var application = new Application();
        application.start(port, Integer.MAX_VALUE, op, client.getClientId());
        var clerk = fixtures.user("bcl-giveup", JobType.CLERK, "CLERK");
        var signedIn = signInThrough(op, client, clerk);
        clock.freeze();
        signedIn.getKey().get("/");
        signedIn.getKey().post("/logout", Map.of());
        awaitDelivery(client, d -> d.attempts() == 1);

        var admin = fixtures.administrator();
        WebClient page = signIn(admin);
        assertThat(page.get("/admin/clients").body()).contains("再送待ち 1 件");

        for (int attempt = 2; attempt <= settings.attempts(); attempt++) {
            clock.advance(settings.delayAfter(attempt - 1));
            retry.retryDue();
            int expected = attempt;
            awaitDelivery(client, d -> d.attempts() == expected);
        }
        var failed = awaitDelivery(client, d -> d.state() == BackChannelDeliveries.State.FAILED);
        assertThat(failed.attempts()).isEqualTo(settings.attempts());
        assertThat(failed.nextAttemptAt()).isNull();
        assertThat(application.requests).hasValue(settings.attempts());
        clock.advance(Duration.ofDays(1));
        assertThat(retry.retryDue()).isZero();
        assertThat(application.requests).hasValue(settings.attempts());

        var givenUp = events.latestOf(clerk.id(), 30).stream()
                .filter(e -> e.type() == SecurityEventType.CLIENT_CHANGED
                        && "backchannel-logout-given-up".equals(e.detail().get("action")))
                .findFirst()
                .orElseThrow();
        assertThat(givenUp.outcome()).isEqualTo(SecurityEvent.Outcome.FAILURE);
        assertThat(givenUp.detail())
                .containsEntry("client", client.getClientId())
                .containsEntry("attempts", String.valueOf(settings.attempts()))
                .containsEntry("reason", "LOGOUT");

        clock.reset();
        String list = page.get("/admin/clients").body();
        assertThat(list).contains("送信失敗 1 件");
        String detail = page.get("/admin/clients/" + client.getId()).body();
        assertThat(detail)
                .contains("id=\"deliveries\"")
                .contains(clerk.loginId())
                .contains("送信失敗")
                .contains("HTTP 500");
    }
}
