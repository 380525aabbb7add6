package jp.mamori.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A cookie-keeping HTTP client that behaves like a browser without JavaScript: it follows
 * redirects and sends back the CSRF token of the last page it read, as a form would.
 */
public class WebClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private final String base;
    private final HttpClient http;
    private final HttpClient httpNoRedirects;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private String csrf = "";
    private HttpResponse<String> last;

    public WebClient(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.httpNoRedirects = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public HttpResponse<String> get(String path) {
        return send(http, HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** Reads a binary answer (a PDF, a zip) with this client's cookies. */
    public HttpResponse<byte[]> getBytes(String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts a form with the CSRF token of the last page read. */
    public HttpResponse<String> post(String path, Map<String, String> form) {
        return post(path, form, http);
    }

    /** Posts a form and returns the answer itself, a redirect included, without following it. */
    public HttpResponse<String> postWithoutFollowing(String path, Map<String, String> form) {
        return post(path, form, httpNoRedirects);
    }

    private HttpResponse<String> post(String path, Map<String, String> form, HttpClient client) {
        Map<String, String> all = new LinkedHashMap<>(form);
        all.putIfAbsent("_csrf", csrf);
        String body = all.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(
                client,
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    /**
     * Posts a JSON body as a page's script does: the CSRF token of the last page read goes in the
     * {@code X-CSRF-TOKEN} header. The answer is returned as it is, without following redirects.
     */
    public HttpResponse<String> postJson(String path, String json) {
        return send(
                httpNoRedirects,
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .header("X-CSRF-TOKEN", csrf)
                        .POST(
                                json == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(json))
                        .build());
    }

    /** Sends a DELETE as a page's script would, with the CSRF token in the header. */
    public HttpResponse<String> delete(String path) {
        return send(
                httpNoRedirects,
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("X-CSRF-TOKEN", csrf)
                        .DELETE()
                        .build());
    }

    /** Posts a form as htmx does, with its HX-Request header, and returns the fragment it gets back. */
    public HttpResponse<String> postHtmx(String path, Map<String, String> form) {
        Map<String, String> all = new LinkedHashMap<>(form);
        all.putIfAbsent("_csrf", csrf);
        String body = all.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(
                http,
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("HX-Request", "true")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    /** Posts one file as multipart/form-data, as a file input does, with the CSRF token of the last page. */
    public HttpResponse<String> postFile(String path, String field, String filename, byte[] content) {
        return postFile(path, Map.of(), field, filename, "text/csv", content);
    }

    /** Posts a form's fields and one file as multipart/form-data, with the CSRF token of the last page. */
    public HttpResponse<String> postFile(
            String path,
            Map<String, String> fields,
            String field,
            String filename,
            String contentType,
            byte[] content) {
        String boundary = "----mamori-test-" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", csrf);
        StringBuilder head = new StringBuilder();
        for (var e : all.entrySet()) {
            head.append("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
                    + e.getValue() + "\r\n");
        }
        head.append("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + filename + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(
                http,
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build());
    }

    /** Posts without any CSRF token, as a forged cross-site request would. */
    public HttpResponse<String> postWithoutCsrf(String path, Map<String, String> form) {
        Map<String, String> all = new LinkedHashMap<>(form);
        all.put("_csrf", "");
        String saved = csrf;
        try {
            csrf = "";
            return post(path, all);
        } finally {
            csrf = saved;
        }
    }

    public HttpResponse<String> last() {
        return last;
    }

    public String path() {
        return last.uri().getPath()
                + (last.uri().getQuery() == null ? "" : "?" + last.uri().getQuery());
    }

    public CookieManager cookies() {
        return cookies;
    }

    private HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            last = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Matcher m = CSRF.matcher(last.body());
            if (m.find()) {
                csrf = m.group(1);
            }
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
