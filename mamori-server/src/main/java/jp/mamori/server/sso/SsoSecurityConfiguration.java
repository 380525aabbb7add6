package jp.mamori.server.sso;

import jp.mamori.server.identity.SignInPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The OpenID Connect provider's filter chain: only the protocol endpoints, before the web chain.
 * A browser without a sign-in is sent to {@code /login}; one that is only half signed in goes to
 * the second factor first. Either way it comes back to the authorization request afterwards.
 */
@Configuration(proxyBeanMethods = false)
class SsoSecurityConfiguration {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE - 200)
    SecurityFilterChain ssoSecurity(
            HttpSecurity http,
            SignInPolicy policy,
            org.springframework.context.ApplicationEventPublisher publisher,
            org.springframework.transaction.support.TransactionTemplate transactions)
            throws Exception {
        var logoutResponse = new org.springframework.security.oauth2.server.authorization.oidc.web.authentication
                .OidcLogoutAuthenticationSuccessHandler();
        logoutResponse.setLogoutHandler(new RpInitiatedLogout(publisher, transactions));
        var authorizationServer = new OAuth2AuthorizationServerConfigurer();
        RequestMatcher endpoints = authorizationServer.getEndpointsMatcher();
        http.securityMatcher(endpoints)
                .with(
                        authorizationServer,
                        s -> s.oidc(o -> o.logoutEndpoint(l -> l.logoutResponseHandler(logoutResponse))))
                .authorizeHttpRequests(a -> a.anyRequest().access((auth, context) -> {
                    var a2 = auth.get();
                    boolean client = a2 != null
                            && a2.isAuthenticated()
                            && !(a2.getPrincipal() instanceof jp.mamori.server.identity.MamoriPrincipal);
                    return new org.springframework.security.authorization.AuthorizationDecision(
                            client || policy.satisfied(a2));
                }))
                .addFilterBefore(
                        new SignInGate(
                                org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher
                                        .withDefaults()
                                        .matcher("/oauth2/authorize"),
                                policy),
                        org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter
                                .class)
                .csrf(c -> c.ignoringRequestMatchers(endpoints))
                .exceptionHandling(e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login"))
                        .accessDeniedHandler((request, response, denied) -> {
                            var auth = SecurityContextHolder.getContext().getAuthentication();
                            if (policy.needsMoreFactors(auth)) {
                                response.sendRedirect(request.getContextPath() + "/login/second-factor");
                            } else {
                                response.sendError(403);
                            }
                        }));
        return http.build();
    }

    @Bean
    EnabledClients registeredClients(JdbcOperations jdbc, JdbcClient db) {
        return new EnabledClients(new JdbcRegisteredClientRepository(jdbc), db);
    }

    @Bean
    SessionTrackingAuthorizationService authorizations(
            JdbcOperations jdbc, RegisteredClientRepository clients, JdbcClient db) {
        var ptv = tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator.builder()
                .allowIfSubType("jp.mamori.server.identity.")
                .allowIfSubType("java.util.")
                // the terminal a sign-in happened on, in the principal
                .allowIfSubType(Long.class);
        var json = tools.jackson.databind.json.JsonMapper.builder()
                .addModules(org.springframework.security.jackson.SecurityJacksonModules.getModules(
                        getClass().getClassLoader(), ptv))
                .build();
        var service = new JdbcOAuth2AuthorizationService(jdbc, clients);
        service.setAuthorizationRowMapper(
                new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationRowMapper(clients, json));
        service.setAuthorizationParametersMapper(
                new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationParametersMapper(json));
        return new SessionTrackingAuthorizationService(service, db);
    }

    @Bean
    OAuth2AuthorizationConsentService consents(JdbcOperations jdbc, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
    }

    @Bean
    org.springframework.security.oauth2.jwt.JwtDecoder jwtDecoder(SigningKeys keys) {
        return org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration
                .jwtDecoder(keys);
    }
}
