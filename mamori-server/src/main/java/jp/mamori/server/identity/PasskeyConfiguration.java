package jp.mamori.server.identity;

import jp.mamori.server.audit.SecurityEvents;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationFilter;
import org.springframework.security.web.webauthn.management.JdbcPublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.JdbcUserCredentialRepository;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;

/**
 * Passkeys in the web security chain: Spring Security's WebAuthn filters with our relying party,
 * PostgreSQL storage, and our own sign-in rules in place of its user-details lookup.
 */
@Configuration(proxyBeanMethods = false)
class PasskeyConfiguration {

    @Bean
    PublicKeyCredentialUserEntityRepository passkeyUserEntities(JdbcTemplate jdbc) {
        return new JdbcPublicKeyCredentialUserEntityRepository(jdbc);
    }

    @Bean
    UserCredentialRepository passkeyCredentials(JdbcTemplate jdbc) {
        return new JdbcUserCredentialRepository(jdbc);
    }

    @Bean
    WebAuthnRelyingPartyOperations passkeyRelyingParty(
            PublicKeyCredentialUserEntityRepository userEntities,
            UserCredentialRepository credentials,
            PasskeySettings settings,
            Environment environment,
            SecurityEvents events) {
        return new PasskeyRelyingParty(userEntities, credentials, settings, environment, events);
    }

    /**
     * Adds the WebAuthn endpoints to the browser chain: {@code /webauthn/register/options} and
     * {@code /webauthn/register} (registration, behind the fresh-sign-in rule set in {@link
     * WebSecurityConfiguration}), {@code /webauthn/authenticate/options} and {@code /login/webauthn}
     * (sign-in). Spring's own registration page and its credential deletion are not used: our
     * account page lists and removes passkeys, with the access log.
     */
    static void apply(HttpSecurity http, PasskeySettings settings, PasskeySignIn signIn, SecurityEvents events)
            throws Exception {
        // Spring's configurer insists on a user-details lookup; ours is never asked, because the
        // authentication manager of the sign-in filter is replaced below.
        http.setSharedObject(UserDetailsService.class, username -> {
            throw new UsernameNotFoundException("passkey sign-in goes through PasskeySignIn");
        });
        http.addFilterAfter(new PasskeyRegistrationGuard(events), AuthorizationFilter.class);
        http.webAuthn(w -> w.rpId(settings.rpIdOrDefault())
                .rpName(settings.rpName())
                .disableDefaultRegistrationPage(true)
                .withObjectPostProcessor(new ObjectPostProcessor<WebAuthnAuthenticationFilter>() {
                    @Override
                    public <O extends WebAuthnAuthenticationFilter> O postProcess(O filter) {
                        filter.setAuthenticationManager(new ProviderManager(signIn));
                        filter.setAuthenticationFailureHandler(signIn);
                        filter.setSessionAuthenticationStrategy(new ChangeSessionIdAuthenticationStrategy());
                        return filter;
                    }
                }));
    }
}
