package jp.mamori.server.identity;

import static org.springframework.security.authorization.AuthorityAuthorizationManager.hasRole;
import static org.springframework.security.authorization.AuthorizationManagers.allOf;

import jakarta.servlet.http.HttpServletResponse;
import jp.mamori.server.audit.SecurityEvents;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The browser-facing security of Mamori: who may reach which page with which factors. The OpenID
 * Connect endpoints have their own filter chain, ordered before this one.
 */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfiguration {

    /** Pages anyone may open: sign-in, first-run setup, static assets, health. */
    static final String[] PUBLIC = {
        "/login",
        "/setup",
        "/css/**",
        "/js/**",
        "/img/**",
        "/webjars/**",
        "/favicon.ico",
        "/actuator/health",
        "/error",
        "/terminal/lock",
        "/terminal/unlock",
        "/terminal/activate",
        "/login/emergency"
    };

    /** Pages for someone who has given a password but not yet the second factor. */
    static final String[] HALFWAY = {"/login/second-factor", "/login/totp", "/login/recovery", "/account/totp/**"};

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE - 100)
    SecurityFilterChain webSecurity(
            HttpSecurity http,
            PasswordAuthenticationProvider passwords,
            FactorPolicyAuthorization policy,
            TerminalSettings terminal,
            SignOut signOut,
            PasskeySettings passkeySettings,
            PasskeySignIn passkeySignIn,
            FreshSignIn fresh,
            SecurityEvents events)
            throws Exception {
        var admin = allOf(policy, hasRole("ADMIN"));
        PasskeyConfiguration.apply(http, passkeySettings, passkeySignIn, events);
        http.authenticationProvider(passwords)
                .authorizeHttpRequests(a -> a.requestMatchers(PUBLIC)
                        .permitAll()
                        .requestMatchers(HALFWAY)
                        .authenticated()
                        .requestMatchers(HttpMethod.POST, "/webauthn/register")
                        .access(allOf(policy, fresh))
                        // Removal goes through the account page, which writes the access log.
                        .requestMatchers(HttpMethod.DELETE, "/webauthn/register/**")
                        .denyAll()
                        .requestMatchers("/admin/**")
                        .access(admin)
                        .anyRequest()
                        .access(policy))
                .formLogin(f -> f.loginPage("/login")
                        .failureUrl("/login?error")
                        .defaultSuccessUrl("/", false)
                        .usernameParameter("loginId")
                        .passwordParameter("password"))
                .logout(l -> l.logoutUrl("/logout").addLogoutHandler(signOut).logoutSuccessUrl("/login?logout"))
                .exceptionHandling(e -> e.accessDeniedHandler(factorAware(policy)))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
                                        + " connect-src 'self' " + terminal.cardAgent() + ";"
                                        + " frame-ancestors 'none'"))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }

    /**
     * No Micrometer observation around each security filter: it made several objects and a set of
     * tags per filter per request, and nothing reads those metrics (the access log is the record).
     */
    @Bean
    static org.springframework.security.config.observation.SecurityObservationSettings securityObservations() {
        return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
    }

    /** Someone half signed in is sent to the second factor instead of being refused. */
    private static AccessDeniedHandler factorAware(FactorPolicyAuthorization policy) {
        return (request, response, denied) -> {
            var auth = SecurityContextHolder.getContext().getAuthentication();
            if (request.getRequestURI().startsWith(request.getContextPath() + "/webauthn/")) {
                PasskeySignIn.write(
                        response,
                        HttpServletResponse.SC_FORBIDDEN,
                        "sign_in_again",
                        "Registering a passkey needs a recent sign-in with all of your factors: sign in again.");
            } else if (policy.needsMoreFactors(auth)) {
                response.sendRedirect(request.getContextPath() + "/login/second-factor");
            } else {
                response.sendError(HttpServletResponse.SC_FORBIDDEN);
            }
        };
    }
}
