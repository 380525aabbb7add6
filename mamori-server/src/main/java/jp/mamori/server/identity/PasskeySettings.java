package jp.mamori.server.identity;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Passkeys (WebAuthn): who Mamori is to the authenticator.
 *
 * @param rpId the relying party ID: the host name (or a registrable suffix of it) that every
 *     passkey is bound to, e.g. {@code mamori.example-hospital.jp}; {@code localhost} when unset.
 *     Changing it later makes every registered passkey unusable.
 * @param rpName the name an authenticator shows when it offers the passkey
 * @param allowedOrigins the exact origins (scheme, host, port) the browser may report; when unset,
 *     {@code http://localhost:<port>} and {@code https://localhost:<port>} of the running server
 * @param freshSignIn how recent the sign-in must be for registering a passkey
 */
@ConfigurationProperties("mamori.webauthn")
record PasskeySettings(
        @Nullable String rpId,
        @DefaultValue("Mamori") String rpName,
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue("5m") Duration freshSignIn) {

    String rpIdOrDefault() {
        return rpId == null || rpId.isBlank() ? "localhost" : rpId.strip();
    }
}
