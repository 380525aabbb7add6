package jp.mamori.server.sso;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * What an administrator typed into the client form, and what is wrong with it. URIs are one per
 * line (or separated by spaces or commas); scopes by spaces. Nothing is stored while {@link #errors()}
 * is not empty.
 *
 * <p>A redirect, post-logout or back-channel URI must be absolute {@code https}, or {@code http} on
 * the loopback host for an application under development; never with a fragment, user info or a
 * wildcard. The redirect URI is compared character for character at the authorization endpoint, so a
 * wildcard would not match anything — and if it did, it would let a code go to an address nobody
 * registered.
 */
record ClientForm(
        String clientId,
        String name,
        String redirectUris,
        String postLogoutRedirectUris,
        String backchannelLogoutUri,
        String scopes) {

    /** A field and what is wrong with it: a message key of {@code i18n/sso} with the offending value. */
    record FieldError(String field, String code, String value) {}

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");
    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,100}");
    // The columns of oauth2_registered_client that hold the lists.
    private static final int LIST_COLUMN = 1000;
    private static final int NAME_COLUMN = 200;

    ClientForm {
        clientId = clientId.strip();
        name = name.strip();
        backchannelLogoutUri = backchannelLogoutUri.strip();
    }

    /** The form filled in with a registered client's current values. */
    static ClientForm of(RegisteredClient client) {
        Object backchannel = client.getClientSettings().getSettings().get(BackChannelLogout.SETTING);
        return new ClientForm(
                client.getClientId(),
                client.getClientName(),
                String.join("\n", client.getRedirectUris()),
                String.join("\n", client.getPostLogoutRedirectUris()),
                backchannel instanceof String uri ? uri : "",
                String.join(" ", client.getScopes()));
    }

    List<String> redirectUriList() {
        return items(redirectUris);
    }

    List<String> postLogoutRedirectUriList() {
        return items(postLogoutRedirectUris);
    }

    List<String> scopeList() {
        return items(scopes);
    }

    /** Every problem of the form, in the order of its fields; empty when it may be stored. */
    List<FieldError> errors() {
        List<FieldError> errors = new ArrayList<>();
        if (!CLIENT_ID.matcher(clientId).matches()) {
            errors.add(new FieldError("clientId", "sso.form.clientId.invalid", clientId));
        }
        if (name.isEmpty()) {
            errors.add(new FieldError("name", "sso.form.required", ""));
        } else if (name.length() > NAME_COLUMN) {
            errors.add(new FieldError("name", "sso.form.tooLong", String.valueOf(NAME_COLUMN)));
        }
        List<String> redirects = redirectUriList();
        if (redirects.isEmpty()) {
            errors.add(new FieldError("redirectUris", "sso.form.required", ""));
        }
        checkUris("redirectUris", redirects, errors);
        checkUris("postLogoutRedirectUris", postLogoutRedirectUriList(), errors);
        if (!backchannelLogoutUri.isEmpty()) {
            checkUris("backchannelLogoutUri", List.of(backchannelLogoutUri), errors);
        }
        List<String> scopeList = scopeList();
        if (!scopeList.contains(OidcScopes.OPENID)) {
            errors.add(new FieldError("scopes", "sso.form.scopes.openid", String.join(" ", scopeList)));
        }
        for (String scope : scopeList) {
            if (!SCOPE_TOKEN.matcher(scope).matches()) {
                errors.add(new FieldError("scopes", "sso.form.scopes.invalid", scope));
            }
        }
        if (String.join(",", scopeList).length() > LIST_COLUMN) {
            errors.add(new FieldError("scopes", "sso.form.tooLong", String.valueOf(LIST_COLUMN)));
        }
        return errors;
    }

    /** The fields with at least one error, for the access log (the values stay out of it). */
    static String fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).distinct().collect(java.util.stream.Collectors.joining(","));
    }

    private static void checkUris(String field, List<String> uris, List<FieldError> errors) {
        for (String uri : uris) {
            String problem = uriProblem(uri);
            if (problem != null) {
                errors.add(new FieldError(field, problem, uri));
            }
        }
        if (String.join(",", uris).length() > LIST_COLUMN) {
            errors.add(new FieldError(field, "sso.form.tooLong", String.valueOf(LIST_COLUMN)));
        }
    }

    /** The message key of what is wrong with one URI, or null when it may be registered. */
    static @org.jspecify.annotations.Nullable String uriProblem(String text) {
        if (text.contains("*")) {
            return "sso.form.uri.wildcard";
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return "sso.form.uri.malformed";
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
            return "sso.form.uri.notAbsolute";
        }
        if (uri.getRawFragment() != null) {
            return "sso.form.uri.fragment";
        }
        if (uri.getRawUserInfo() != null) {
            return "sso.form.uri.userInfo";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return null;
        }
        if (scheme.equals("http")) {
            return LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT)) ? null : "sso.form.uri.httpNotLoopback";
        }
        return "sso.form.uri.scheme";
    }

    private static List<String> items(String text) {
        return Arrays.stream(text.split("[\\s,]+"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }
}
