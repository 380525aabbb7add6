package jp.mamori.server.sso;

import java.util.List;
import java.util.Set;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.Factors;
import jp.mamori.server.identity.MamoriPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * Puts Mamori's facts into the tokens: roles, 職種, the terminal, {@code amr}/{@code acr} from the
 * factors of the sign-in, and the {@code sid} that back-channel logout names later. Every token is
 * signed with the current key, named in the header.
 */
@Component
class IdTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final SigningKeys keys;
    private final SecurityEvents events;

    IdTokenClaims(SigningKeys keys, SecurityEvents events) {
        this.keys = keys;
        this.events = events;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        context.getJwsHeader().keyId(keys.keys().get(0).getKeyID());
        Authentication auth = context.getPrincipal();
        if (!(auth.getPrincipal() instanceof MamoriPrincipal principal)) {
            return;
        }
        Set<String> factors = Factors.of(auth);
        var claims = context.getClaims();
        claims.claim("roles", List.copyOf(principal.roles()));
        if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
            claims.claim("name", principal.displayName());
            claims.claim("job_type", principal.jobType().name());
            if (principal.terminalId() != null) {
                claims.claim("terminal_id", principal.terminalId());
            }
            if (principal.terminalName() != null) {
                claims.claim("terminal", principal.terminalName());
            }
            claims.claim("amr", Factors.amr(factors));
            claims.claim("acr", Factors.acr(factors));
            var authorization = context.getAuthorization();
            String sid =
                    authorization == null ? null : authorization.getAttribute(SessionTrackingAuthorizationService.SID);
            if (sid != null) {
                claims.claim("sid", sid);
            }
            events.record(SecurityEvent.success(SecurityEventType.TOKEN_ISSUED)
                    .account(principal.accountId(), principal.loginId())
                    .terminal(principal.terminalId())
                    .detail("client", context.getRegisteredClient().getClientId())
                    .build());
        }
    }
}
