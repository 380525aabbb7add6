package jp.mamori.server.identity;

import java.util.LinkedHashSet;
import java.util.Set;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialCreationOptionsRequest;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialRequestOptionsRequest;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Mamori as a WebAuthn relying party: Spring Security's WebAuthn4J implementation, with user
 * verification required in both ceremonies (so that a passkey always stands for "the device and
 * the person's face, finger or device PIN"), and every registration attempt written to the access
 * log.
 *
 * <p>The allowed origins default to the running server's own port on {@code localhost}, which is
 * only known once the web server has started; the WebAuthn4J operations are therefore made on
 * first use.
 */
class PasskeyRelyingParty implements WebAuthnRelyingPartyOperations {

    private final PublicKeyCredentialUserEntityRepository userEntities;
    private final UserCredentialRepository userCredentials;
    private final PasskeySettings settings;
    private final Environment environment;
    private final SecurityEvents events;
    private volatile @Nullable Webauthn4JRelyingPartyOperations delegate;

    PasskeyRelyingParty(
            PublicKeyCredentialUserEntityRepository userEntities,
            UserCredentialRepository userCredentials,
            PasskeySettings settings,
            Environment environment,
            SecurityEvents events) {
        this.userEntities = userEntities;
        this.userCredentials = userCredentials;
        this.settings = settings;
        this.environment = environment;
        this.events = events;
    }

    /** A registration the relying party refused; the message says why, without any key material. */
    static final class RegistrationRefused extends RuntimeException {
        RegistrationRefused(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    Set<String> allowedOrigins() {
        if (!settings.allowedOrigins().isEmpty()) {
            return new LinkedHashSet<>(settings.allowedOrigins());
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String host = settings.rpIdOrDefault();
        return new LinkedHashSet<>(Set.of("http://" + host + ":" + port, "https://" + host + ":" + port));
    }

    private Webauthn4JRelyingPartyOperations operations() {
        Webauthn4JRelyingPartyOperations ops = delegate;
        if (ops == null) {
            synchronized (this) {
                ops = delegate;
                if (ops == null) {
                    ops = new Webauthn4JRelyingPartyOperations(
                            userEntities,
                            userCredentials,
                            PublicKeyCredentialRpEntity.builder()
                                    .id(settings.rpIdOrDefault())
                                    .name(settings.rpName())
                                    .build(),
                            allowedOrigins());
                    ops.setCustomizeCreationOptions(
                            o -> o.authenticatorSelection(AuthenticatorSelectionCriteria.builder()
                                    .userVerification(UserVerificationRequirement.REQUIRED)
                                    .residentKey(ResidentKeyRequirement.REQUIRED)
                                    .build()));
                    ops.setCustomizeRequestOptions(o -> o.userVerification(UserVerificationRequirement.REQUIRED));
                    delegate = ops;
                }
            }
        }
        return ops;
    }

    @Override
    public PublicKeyCredentialCreationOptions createPublicKeyCredentialCreationOptions(
            PublicKeyCredentialCreationOptionsRequest request) {
        return operations().createPublicKeyCredentialCreationOptions(request);
    }

    @Override
    public CredentialRecord registerCredential(RelyingPartyRegistrationRequest request) {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        MamoriPrincipal principal = who != null && who.getPrincipal() instanceof MamoriPrincipal p ? p : null;
        String label = request.getPublicKey().getLabel();
        String source = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes r
                ? RequestOrigin.of(r.getRequest())
                : null;
        CredentialRecord record;
        try {
            record = operations().registerCredential(request);
        } catch (RuntimeException refused) {
            events.record(SecurityEvent.failure(SecurityEventType.FACTOR_ENROLLED)
                    .account(
                            principal == null ? null : principal.accountId(),
                            principal == null ? null : principal.loginId())
                    .source(source)
                    .detail("factor", "passkey")
                    .detail("label", label)
                    .detail("reason", PasskeySignIn.reason(refused))
                    .build());
            throw new RegistrationRefused(
                    "The authenticator's response was refused: " + PasskeySignIn.reason(refused), refused);
        }
        events.record(SecurityEvent.success(SecurityEventType.FACTOR_ENROLLED)
                .account(
                        principal == null ? null : principal.accountId(),
                        principal == null ? null : principal.loginId())
                .source(source)
                .detail("factor", "passkey")
                .detail("label", label)
                .detail("user_verified", record.isUvInitialized())
                .build());
        return record;
    }

    @Override
    public PublicKeyCredentialRequestOptions createCredentialRequestOptions(
            PublicKeyCredentialRequestOptionsRequest request) {
        return operations().createCredentialRequestOptions(request);
    }

    /**
     * A signature counter at or below the stored one: the WebAuthn specification's sign of a cloned
     * authenticator (§6.1.1). Authenticators that keep no counter report 0 every time, and pass.
     */
    static final class CounterNotIncreased extends RuntimeException {
        CounterNotIncreased() {
            super("signature counter did not increase");
        }
    }

    @Override
    public PublicKeyCredentialUserEntity authenticate(RelyingPartyAuthenticationRequest request) {
        CredentialRecord before =
                userCredentials.findByCredentialId(request.getPublicKey().getRawId());
        PublicKeyCredentialUserEntity entity = operations().authenticate(request);
        // WebAuthn4J's lenient manager, as Spring Security sets it up, accepts a counter that went
        // backwards and stores it; that would hide a cloned authenticator, so the check is made here
        // and the stored record put back as it was.
        byte[] authData =
                request.getPublicKey().getResponse().getAuthenticatorData().getBytes();
        long presented = authData.length >= 37
                ? ((authData[33] & 0xffL) << 24)
                        | ((authData[34] & 0xffL) << 16)
                        | ((authData[35] & 0xffL) << 8)
                        | (authData[36] & 0xffL)
                : 0;
        long stored = before == null ? 0 : before.getSignatureCount();
        if ((presented > 0 || stored > 0) && presented <= stored) {
            userCredentials.save(before);
            throw new CounterNotIncreased();
        }
        return entity;
    }
}
