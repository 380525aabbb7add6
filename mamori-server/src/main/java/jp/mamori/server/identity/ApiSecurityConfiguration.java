package jp.mamori.server.identity;

import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Machine APIs ({@code /fhir/**}, {@code /api/**}): other systems sign in with HTTP Basic as system
 * accounts (no person's account), without sessions or CSRF tokens; each endpoint says which role it
 * wants.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class ApiSecurityConfiguration {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE - 300)
    SecurityFilterChain apiSecurity(HttpSecurity http, PasswordAuthenticationProvider passwords) throws Exception {
        http.securityMatcher("/fhir/**", "/api/**")
                .authenticationProvider(passwords)
                .authorizeHttpRequests(a -> a.requestMatchers("/fhir/metadata")
                        .permitAll()
                        .anyRequest()
                        .access((auth, ctx) -> new org.springframework.security.authorization.AuthorizationDecision(
                                systemAccount(auth.get()))))
                .httpBasic(b -> b.realmName("Mamori"))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    /**
     * Only system accounts use the machine APIs: a person would get past the second factor with
     * HTTP Basic, so people use the screens instead.
     */
    static boolean systemAccount(@Nullable Authentication auth) {
        return auth != null
                && auth.isAuthenticated()
                && auth.getPrincipal() instanceof MamoriPrincipal p
                && p.jobType() == JobType.SYSTEM;
    }
}
