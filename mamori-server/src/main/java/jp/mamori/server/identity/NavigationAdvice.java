package jp.mamori.server.identity;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the page frame needs to know of the user — signed in, which menus, break-the-glass — worked
 * out once per page from the authorities, instead of evaluating security expressions in the template.
 */
@ControllerAdvice
class NavigationAdvice {

    private static final AuthenticationTrustResolverImpl TRUST = new AuthenticationTrustResolverImpl();

    /**
     * @param displayName the signed-in user's name, or null
     * @param administrator may use the administration pages
     * @param auditReader may read the access log
     * @param breakGlass signed in by break-the-glass
     */
    record Nav(@Nullable String displayName, boolean administrator, boolean auditReader, boolean breakGlass) {
        public boolean signedIn() {
            return displayName != null;
        }
    }

    @ModelAttribute("nav")
    Nav nav() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null
                || !auth.isAuthenticated()
                || TRUST.isAnonymous(auth)
                || !(auth.getPrincipal() instanceof MamoriPrincipal p)) {
            return new Nav(null, false, false, false);
        }
        Set<String> names = new java.util.HashSet<>();
        for (GrantedAuthority a : auth.getAuthorities()) {
            names.add(a.getAuthority());
        }
        boolean admin = names.contains("ROLE_ADMIN");
        return new Nav(
                p.displayName(),
                admin,
                admin || names.contains("ROLE_AUDITOR") || names.contains("ROLE_SECURITY_OFFICER"),
                names.contains(Factors.BREAK_GLASS));
    }
}
