package jp.mamori.server.sso;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import jp.mamori.server.identity.SignInPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stands before the authorization endpoint: an authorization request is only answered for a user
 * who satisfies the factor policy. Anyone else is sent to sign in (or to the second factor) and
 * comes back to the saved request afterwards.
 */
class SignInGate extends OncePerRequestFilter {

    private final RequestMatcher authorizationEndpoint;
    private final SignInPolicy policy;
    private final RequestCache requests = new HttpSessionRequestCache();

    SignInGate(RequestMatcher authorizationEndpoint, SignInPolicy policy) {
        this.authorizationEndpoint = authorizationEndpoint;
        this.policy = policy;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!authorizationEndpoint.matches(request)) {
            chain.doFilter(request, response);
            return;
        }
        var auth = SecurityContextHolder.getContext().getAuthentication();
        if (policy.satisfied(auth)) {
            chain.doFilter(request, response);
            return;
        }
        requests.saveRequest(request, response);
        String target = policy.needsMoreFactors(auth) ? "/login/second-factor" : "/login";
        response.sendRedirect(request.getContextPath() + target);
    }
}
