package jp.mamori.server.sso;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Stores authorizations through Spring Authorization Server's JDBC service and remembers which
 * Mamori web session each one came from: the {@code sid} (a hash of the session ID, never the ID
 * itself) goes into the authorization's attributes and into a table that back-channel logout reads.
 */
class SessionTrackingAuthorizationService implements OAuth2AuthorizationService {

    static final String SID = "mamori.sid";

    private final OAuth2AuthorizationService delegate;
    private final JdbcClient db;

    SessionTrackingAuthorizationService(OAuth2AuthorizationService delegate, JdbcClient db) {
        this.delegate = delegate;
        this.db = db;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        OAuth2Authorization toSave = authorization;
        if (authorization.getAttribute(SID) == null) {
            String sessionId = currentSessionId();
            if (sessionId != null) {
                String sid = sid(sessionId);
                toSave = OAuth2Authorization.from(authorization)
                        .attribute(SID, sid)
                        .build();
                db.sql(
                                """
                        INSERT INTO sso_session_authorization
                            (authorization_id, sid, registered_client_id, login_id, created_at, issuer)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (authorization_id) DO NOTHING""")
                        .params(
                                toSave.getId(),
                                sid,
                                toSave.getRegisteredClientId(),
                                toSave.getPrincipalName(),
                                java.sql.Timestamp.from(Instant.now()),
                                currentIssuer())
                        .update();
            }
        }
        delegate.save(toSave);
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
        db.sql("DELETE FROM sso_session_authorization WHERE authorization_id = ?")
                .param(authorization.getId())
                .update();
    }

    /** Revokes the authorization's tokens but keeps its session row, for a logout not yet delivered. */
    void revoke(OAuth2Authorization authorization) {
        delegate.remove(authorization);
    }

    /** Forgets an authorization's session row once its client has been told of the logout. */
    void forget(String authorizationId) {
        db.sql("DELETE FROM sso_session_authorization WHERE authorization_id = ?")
                .param(authorizationId)
                .update();
    }

    @Override
    public @Nullable OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        return delegate.findByToken(token, tokenType);
    }

    /** The {@code sid} claim of a Mamori web session: base64url SHA-256 of its ID. */
    static String sid(String sessionId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The issuer of this request's tokens, as Spring Authorization Server worked it out from the request. */
    private static @Nullable String currentIssuer() {
        var context = org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder
                .getContext();
        return context == null ? null : context.getIssuer();
    }

    private static @Nullable String currentSessionId() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            var session = attributes.getRequest().getSession(false);
            return session == null ? null : session.getId();
        }
        return null;
    }
}
