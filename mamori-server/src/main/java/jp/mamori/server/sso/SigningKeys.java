package jp.mamori.server.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jp.mamori.server.platform.SecretSealer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The RSA keys that sign ID tokens and logout tokens, kept in PostgreSQL with the private part
 * sealed. The current key is the newest unretired one and is listed first, so it signs; retired
 * keys stay in the JWKS for {@link #RETIRED_PUBLISHED} so that tokens they signed still validate.
 */
@Component
class SigningKeys implements JWKSource<SecurityContext> {

    static final Duration RETIRED_PUBLISHED = Duration.ofDays(2);
    private static final String PURPOSE = "sso-signing-key";

    private final JdbcClient db;
    private final SecretSealer sealer;
    private final Clock clock;

    SigningKeys(JdbcClient db, SecretSealer sealer, Clock clock) {
        this.db = db;
        this.sealer = sealer;
        this.clock = clock;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return selector.select(new com.nimbusds.jose.jwk.JWKSet(keys()));
    }

    /** Current key first, then retired keys still published. */
    List<JWK> keys() {
        List<JWK> keys = load();
        if (keys.isEmpty()) {
            rotate();
            keys = load();
        }
        return keys;
    }

    private List<JWK> load() {
        var rows = db.sql(
                        """
                SELECT kid, private_key FROM sso_signing_key
                WHERE retired_at IS NULL OR retired_at > ?
                ORDER BY retired_at DESC NULLS FIRST, created_at DESC""")
                .param(Timestamp.from(clock.instant().minus(RETIRED_PUBLISHED)))
                .query((rs, n) -> rs.getBytes("private_key"))
                .list();
        List<JWK> keys = new ArrayList<>();
        for (byte[] sealed : rows) {
            try {
                keys.add(RSAKey.parse(new String(sealer.open(sealed, PURPOSE), StandardCharsets.UTF_8)));
            } catch (ParseException e) {
                throw new IllegalStateException("A stored signing key cannot be read", e);
            }
        }
        return keys;
    }

    /** Makes a new current key and retires the one before; returns the new key ID. */
    @Transactional
    String rotate() {
        try {
            RSAKey key = new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE)
                    .algorithm(com.nimbusds.jose.JWSAlgorithm.RS256)
                    .generate();
            var now = Timestamp.from(clock.instant());
            db.sql("UPDATE sso_signing_key SET retired_at = ? WHERE retired_at IS NULL")
                    .param(now)
                    .update();
            db.sql("INSERT INTO sso_signing_key (kid, public_jwk, private_key, created_at) VALUES (?, ?, ?, ?)")
                    .params(
                            key.getKeyID(),
                            key.toPublicJWK().toJSONString(),
                            sealer.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8), PURPOSE),
                            now)
                    .update();
            return key.getKeyID();
        } catch (JOSEException e) {
            throw new IllegalStateException("No signing key could be made", e);
        }
    }
}
