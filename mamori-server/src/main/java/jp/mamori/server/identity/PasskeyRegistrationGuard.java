package jp.mamori.server.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in front of Spring Security's registration endpoint ({@code POST /webauthn/register}),
 * which answers a body it cannot read with a bare 400 and lets a refused attestation escape as a
 * server error. Here a malformed body gets a 400 that names the missing or broken part, a refused
 * attestation a 400 that says why, and both go to the access log; nothing is stored in either case.
 */
class PasskeyRegistrationGuard extends OncePerRequestFilter {

    static final int MAX_LABEL = 64;
    private static final int MAX_BODY = 64 * 1024;

    private final JsonMapper json = JsonMapper.builder().build();
    private final SecurityEvents events;

    PasskeyRegistrationGuard(SecurityEvents events) {
        this.events = events;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod())
                && "/webauthn/register"
                        .equals(request.getRequestURI()
                                .substring(request.getContextPath().length())));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        String problem = body.length > MAX_BODY ? "the body is larger than " + MAX_BODY + " bytes" : problem(body);
        if (problem != null) {
            refuse(response, "malformed", "The registration request is not usable: " + problem + ".", "malformed");
            return;
        }
        try {
            chain.doFilter(new CachedBody(request, body), response);
        } catch (PasskeyRelyingParty.RegistrationRefused refused) {
            // Already in the access log with its reason.
            PasskeySignIn.write(response, HttpServletResponse.SC_BAD_REQUEST, "refused", refused.getMessage());
            return;
        }
        if (response.getStatus() == HttpServletResponse.SC_BAD_REQUEST && !response.isCommitted()) {
            // Spring's own refusal: no registration options in the HTTP session, or a value it could not decode.
            response.resetBuffer();
            refuse(
                    response,
                    "refused",
                    "The registration was refused: ask for new registration options first, and send the"
                            + " authenticator's response as it is.",
                    "no_options_or_undecodable");
        }
    }

    /** What is wrong with the body, or null when it has the shape of a registration request. */
    @Nullable
    String problem(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            return "the body is not JSON" + PasskeySignIn.where(e);
        }
        if (root == null || !root.isObject()) {
            return "the body must be a JSON object with \"publicKey\"";
        }
        JsonNode key = root.path("publicKey");
        if (!key.isObject()) {
            return "\"publicKey\" is missing or not an object";
        }
        JsonNode label = key.path("label");
        if (!label.isString() || label.asString().isBlank()) {
            return "\"publicKey.label\" is missing or empty: give the passkey a name";
        }
        if (label.asString().strip().length() > MAX_LABEL) {
            return "\"publicKey.label\" is longer than " + MAX_LABEL + " characters";
        }
        JsonNode credential = key.path("credential");
        if (!credential.isObject()) {
            return "\"publicKey.credential\" is missing or not an object";
        }
        for (String field : new String[] {"id", "rawId", "type"}) {
            if (!credential.path(field).isString()) {
                return "\"publicKey.credential." + field + "\" is missing or not a string";
            }
        }
        JsonNode answer = credential.path("response");
        for (String field : new String[] {"attestationObject", "clientDataJSON"}) {
            if (!answer.path(field).isString()) {
                return "\"publicKey.credential.response." + field + "\" is missing or not a string";
            }
        }
        return null;
    }

    private void refuse(HttpServletResponse response, String error, String message, String reason) throws IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        MamoriPrincipal p = who != null && who.getPrincipal() instanceof MamoriPrincipal m ? m : null;
        events.record(SecurityEvent.failure(SecurityEventType.FACTOR_ENROLLED)
                .account(p == null ? null : p.accountId(), p == null ? null : p.loginId())
                .detail("factor", "passkey")
                .detail("reason", reason)
                .build());
        PasskeySignIn.write(response, HttpServletResponse.SC_BAD_REQUEST, error, message);
    }

    /** The request with its body already read, so that the next filter can read it again. */
    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
