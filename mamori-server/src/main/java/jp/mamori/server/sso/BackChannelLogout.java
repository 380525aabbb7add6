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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.stereotype.Component;

/**
 * OpenID Connect Back-Channel Logout 1.0: when a Mamori session ends, every client that holds an
 * authorization from that session receives a signed logout token, and the authorization is revoked.
 * Tokens are revoked at once; the listener runs from the event publication registry, so a logout
 * token that could not be delivered leaves the publication incomplete and {@link BackChannelLogoutRetry}
 * hands it back later. Each delivery attempt is recorded in the access log.
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
            Clock clock) {
        this.db = db;
        this.clients = clients;
        this.authorizations = authorizations;
        this.keys = keys;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(SessionEnded ended) {
        String sid = SessionTrackingAuthorizationService.sid(ended.sessionId());
        record Row(String authorizationId, String clientId) {}
        List<Row> rows = db.sql(
                        "SELECT authorization_id, registered_client_id FROM sso_session_authorization WHERE sid = ?")
                .param(sid)
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2)))
                .list();
        boolean failed = false;
        for (Row row : rows) {
            var client = clients.findById(row.clientId());
            var authorization = authorizations.findById(row.authorizationId());
            if (authorization != null) {
                authorizations.revoke(authorization);
            }
            boolean delivered = true;
            if (client != null) {
                Object uri = client.getClientSettings().getSettings().get(SETTING);
                if (uri instanceof String target && !target.isBlank()) {
                    delivered = deliver(ended, sid, client.getClientId(), target);
                }
            }
            if (delivered) {
                authorizations.forget(row.authorizationId());
            } else {
                failed = true;
            }
        }
        if (failed) {
            throw new IllegalStateException("A back-channel logout could not be delivered; it will be retried");
        }
    }

    private boolean deliver(SessionEnded ended, String sid, String clientId, String target) {
        Instant now = clock.instant();
        var claims = JwtClaimsSet.builder()
                .issuer(issuer())
                .audience(List.of(clientId))
                .issuedAt(now)
                .expiresAt(now.plus(Duration.ofMinutes(2)))
                .id(UUID.randomUUID().toString())
                .subject(ended.loginId())
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
        boolean ok;
        int status = 0;
        try {
            var response = http.send(
                    HttpRequest.newBuilder(URI.create(target))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "logout_token=" + token, StandardCharsets.US_ASCII))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            ok = status == 200 || status == 204;
        } catch (java.io.IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (!ok) {
            log.warn("Back-channel logout to client {} failed (status {})", clientId, status);
        }
        events.record((ok
                        ? SecurityEvent.success(SecurityEventType.CLIENT_CHANGED)
                        : SecurityEvent.failure(SecurityEventType.CLIENT_CHANGED))
                .account(ended.accountId(), ended.loginId())
                .terminal(ended.terminalId())
                .detail("action", "backchannel-logout")
                .detail("client", clientId)
                .detail("reason", ended.reason())
                .detail("status", status)
                .build());
        return ok;
    }

    private String issuer() {
        String issuer = settings.getIssuer();
        return issuer == null ? "" : issuer;
    }
}
