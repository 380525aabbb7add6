package jp.mamori.server.identity;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.ResponseCookie;

/** The cookie by which a registered terminal's browser proves which terminal it is. */
final class TerminalCookie {
    static final String NAME = "MAMORI_TERMINAL";

    private TerminalCookie() {}

    static Optional<String> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (NAME.equals(c.getName()) && !c.getValue().isBlank()) {
                return Optional.of(c.getValue());
            }
        }
        return Optional.empty();
    }

    static void write(HttpServletResponse response, String credential, boolean secure) {
        ResponseCookie cookie = ResponseCookie.from(NAME, credential)
                .httpOnly(true)
                .secure(secure)
                .sameSite("Strict")
                .path("/")
                .maxAge(Duration.ofDays(5 * 365))
                .build();
        response.addHeader("Set-Cookie", cookie.toString());
    }
}
