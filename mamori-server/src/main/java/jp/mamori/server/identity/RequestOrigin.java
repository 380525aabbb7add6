package jp.mamori.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Where a request came from, for the access log and the per-source throttle. */
final class RequestOrigin {
    private RequestOrigin() {}

    static @Nullable String of(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : null;
    }

    static String of(HttpServletRequest request) {
        return request.getRemoteAddr();
    }
}
