package jp.mamori.server.sso;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.SessionEnded;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.stereotype.Component;

/**
 * OpenID Connect Back-Channel Logout 1.0: when a Mamori session ends, every client that holds an
 * authorization from that session receives a signed logout token, and the authorization is revoked.
 * Tokens are revoked at once. A logout token that does not reach its client at the first attempt is
 * kept in {@link BackChannelDeliveries} and tried again by {@link BackChannelLogoutRetry}. Each
 * delivery attempt is recorded in the access log.
 */
@Component
class BackChannelLogout {

    static final String SETTING = "settings.client.mamori.backchannel-logout-uri";
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    private static final Logger log = LoggerFactory.getLogger(BackChannelLogout.class);

    private final JdbcClient db;
    private final RegisteredClientRepository clients;
    private final SessionTrackingAuthorizationService authorizations;
    private final SigningKeys keys;
    private final SecurityEvents events;
    private final AuthorizationServerSettings settings;
    private final BackChannelDeliveries deliveries;
    private final BackChannelLogoutSettings retry;
    private final Clock clock;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    BackChannelLogout(
            JdbcClient db,
            RegisteredClientRepository clients,
            SessionTrackingAuthorizationService authorizations,
            SigningKeys keys,
            SecurityEvents events,
            AuthorizationServerSettings settings,
            BackChannelDeliveries deliveries,
            BackChannelLogoutSettings retry,
            Clock clock) {
        this.db = db;
        this.clients = clients;
        this.authorizations = authorizations;
        this.keys = keys;
        this.events = events;
        this.settings = settings;
        this.deliveries = deliveries;
        this.retry = retry;
        this.clock = clock;
    }

    /**
     * Runs from the event publication registry in a transaction of its own: revoking, the first
     * attempts and the rows kept for a retry commit together, and a crash before the commit hands the
     * event back to this listener.
     */
    @ApplicationModuleListener
    void on(SessionEnded ended) {
        String sid = SessionTrackingAuthorizationService.sid(ended.sessionId());
        record Row(String authorizationId, String clientId, @Nullable String issuer) {}
        List<Row> rows = db.sql(
                        "SELECT authorization_id, registered_client_id, issuer FROM sso_session_authorization WHERE sid = ?")
                .param(sid)
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list();
        for (Row row : rows) {
            var client = clients.findById(row.clientId());
            var authorization = authorizations.findById(row.authorizationId());
            if (authorization != null) {
                authorizations.revoke(authorization);
            }
            String target = client == null ? null : target(client);
            if (client != null && target != null) {
                String issuer = issuer(row.issuer());
                if (issuer == null) {
                    // A sign-in recorded before the issuer was kept: a token without the right iss would be refused
                    // anyway.
                    recordAttempt(
                            ended.accountId(),
                            ended.loginId(),
                            ended.terminalId(),
                            ended.reason().name(),
                            client.getClientId(),
                            new BackChannelDeliveries.Attempt(false, 0, "issuer unknown"),
                            1);
                    authorizations.forget(row.authorizationId());
                    continue;
                }
                var attempt = send(client.getClientId(), target, issuer, ended.loginId(), sid);
                recordAttempt(
                        ended.accountId(),
                        ended.loginId(),
                        ended.terminalId(),
                        ended.reason().name(),
                        client.getClientId(),
                        attempt,
                        1);
                if (!attempt.delivered()) {
                    Instant now = clock.instant();
                    deliveries.schedule(
                            client.getId(), sid, issuer, ended, attempt, now, now.plus(retry.delayAfter(1)));
                }
            }
            authorizations.forget(row.authorizationId());
        }
    }

    /** The client's back-channel logout URI, or null when it has none. */
    static @Nullable String target(RegisteredClient client) {
        Object uri = client.getClientSettings().getSettings().get(SETTING);
        return uri instanceof String target && !target.isBlank() ? target : null;
    }

    /**
     * Signs a fresh logout token (each attempt its own {@code jti}, {@code iat} and {@code exp}) and
     * POSTs it. Status 200 or 204 counts as delivered.
     */
    BackChannelDeliveries.Attempt send(String clientId, String target, String issuer, String loginId, String sid) {
        Instant now = clock.instant();
        var claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .audience(List.of(clientId))
                .issuedAt(now)
                .expiresAt(now.plus(Duration.ofMinutes(2)))
                .id(UUID.randomUUID().toString())
                .subject(loginId)
                .claim("sid", sid)
                .claim("events", Map.of(EVENT, Map.of()))
                .build();
        var header = JwsHeader.with(SignatureAlgorithm.RS256)
                .type("logout+jwt")
                .keyId(keys.keys().get(0).getKeyID())
                .build();
        String token = new NimbusJwtEncoder(keys)
                .encode(JwtEncoderParameters.from(header, claims))
                .getTokenValue();
        try {
            var response = http.send(
                    HttpRequest.newBuilder(URI.create(target))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "logout_token=" + token, StandardCharsets.US_ASCII))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return new BackChannelDeliveries.Attempt(status == 200 || status == 204, status, null);
        } catch (java.io.IOException e) {
            // The class name says what happened (ConnectException, HttpTimeoutException); the token is not in it.
            return new BackChannelDeliveries.Attempt(false, 0, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new BackChannelDeliveries.Attempt(false, 0, "interrupted");
        }
    }

    /** One attempt in the access log: which client, why the session ended, what the client answered. */
    void recordAttempt(
            long accountId,
            String loginId,
            @Nullable Long terminalId,
            String reason,
            String clientId,
            BackChannelDeliveries.Attempt attempt,
            int number) {
        if (!attempt.delivered()) {
            log.warn(
                    "Back-channel logout to client {} failed at attempt {} (status {}{})",
                    clientId,
                    number,
                    attempt.status(),
                    attempt.error() == null ? "" : ", " + attempt.error());
        }
        events.record((attempt.delivered()
                        ? SecurityEvent.success(SecurityEventType.CLIENT_CHANGED)
                        : SecurityEvent.failure(SecurityEventType.CLIENT_CHANGED))
                .account(accountId, loginId)
                .terminal(terminalId)
                .detail("action", "backchannel-logout")
                .detail("client", clientId)
                .detail("reason", reason)
                .detail("attempt", number)
                .detail("status", attempt.status())
                .detail("error", attempt.error())
                .build());
    }

    /**
     * The {@code iss} of a logout token: the issuer configured for the server if there is one, else
     * the one the application's ID token carried, which Spring Authorization Server took from the
     * request's host (the listener runs outside any request, so it cannot work it out itself).
     */
    @Nullable
    String issuer(@Nullable String issuerOfTheSignIn) {
        String configured = settings.getIssuer();
        return configured != null && !configured.isBlank() ? configured : issuerOfTheSignIn;
    }
}
