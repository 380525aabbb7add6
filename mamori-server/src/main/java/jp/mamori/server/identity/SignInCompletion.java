package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Puts a (new or extended) authentication into the session. A factor is only ever added to the
 * same principal's sign-in; signing in as someone else starts from nothing, with a new session ID.
 */
@Component
class SignInCompletion {

    private final SecurityContextRepository repository = new HttpSessionSecurityContextRepository();
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    /** The current authentication with one more factor. */
    static Authentication withFactor(Authentication current, MamoriPrincipal principal, String factor) {
        List<GrantedAuthority> merged = new ArrayList<>();
        for (GrantedAuthority a : current.getAuthorities()) {
            if (!factor.equals(a.getAuthority())) {
                merged.add(a);
            }
        }
        merged.add(FactorGrantedAuthority.fromAuthority(factor));
        UsernamePasswordAuthenticationToken token =
                UsernamePasswordAuthenticationToken.authenticated(principal, null, merged);
        token.setDetails(current.getDetails());
        return token;
    }

    static Authentication fresh(
            MamoriPrincipal principal, Collection<? extends GrantedAuthority> authorities, HttpServletRequest request) {
        UsernamePasswordAuthenticationToken token =
                UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities);
        token.setDetails(new WebAuthenticationDetails(request));
        return token;
    }

    void store(Authentication authentication, HttpServletRequest request, HttpServletResponse response) {
        request.getSession(true);
        request.changeSessionId();
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(authentication);
        holder.setContext(context);
        repository.saveContext(context, request, response);
    }
}
