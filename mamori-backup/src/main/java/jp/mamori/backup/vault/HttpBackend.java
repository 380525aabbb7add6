package jp.mamori.backup.vault;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.ObjectNames;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A repository kept in the vault, reached over HTTPS with the vault's certificate pinned. Reads are
 * retried a few times when the connection fails. A create whose connection drops is retried too:
 * if the retry finds the object already there with the same SHA-256 (the vault returns the stored
 * object's hash with its 409), the first attempt had landed and the create counts as done;
 * different bytes under that name are reported as an existing object, as always.
 */
public final class HttpBackend implements Backend {

    /** The environment variable holding the vault token. */
    public static final String TOKEN_ENV = "MAMORI_VAULT_TOKEN";
    /** The environment variable naming a file that holds the vault token. */
    public static final String TOKEN_FILE_ENV = "MAMORI_VAULT_TOKEN_FILE";
    /** The environment variable holding the vault certificate's SHA-256 fingerprint. */
    public static final String FINGERPRINT_ENV = "MAMORI_VAULT_FINGERPRINT";

    private static final int ATTEMPTS = 3;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String token;
    private final HttpClient client;
    private final String location;

    /**
     * @param base the vault's address, {@code https://host:port/}
     * @param token an append or administrator token
     * @param fingerprint the SHA-256 fingerprint of the vault's certificate
     */
    public HttpBackend(URI base, String token, String fingerprint) {
        if (!"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("a vault address is https://HOST:PORT/, not: " + base);
        }
        this.base = base.resolve("/");
        this.location = "vault " + this.base;
        this.token = token.trim();
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(
                    null,
                    new TrustManager[] {new PinnedCertificateTrust(fingerprint, this.base.toString())},
                    new SecureRandom());
            this.client = HttpClient.newBuilder()
                    .sslContext(tls)
                    .connectTimeout(Duration.ofSeconds(10))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this Java runtime", e);
        }
    }

    /**
     * A backend for a repository URL {@code vault:https://host:port/}, with the token from {@code
     * MAMORI_VAULT_TOKEN} (or the file named by {@code MAMORI_VAULT_TOKEN_FILE}) and the pinned
     * fingerprint from {@code MAMORI_VAULT_FINGERPRINT}.
     */
    public static HttpBackend fromUrl(String url, Map<String, String> env) {
        if (!url.startsWith("vault:")) {
            throw new IllegalArgumentException("a vault repository URL starts with vault:https://, not: " + url);
        }
        URI base;
        try {
            base = URI.create(url.substring("vault:".length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid vault address: " + url, e);
        }
        String token = env.get(TOKEN_ENV);
        if (token == null || token.isBlank()) {
            String file = env.get(TOKEN_FILE_ENV);
            if (file == null || file.isBlank()) {
                throw new IllegalArgumentException(
                        "the vault " + url + " needs a token: set " + TOKEN_ENV + " or " + TOKEN_FILE_ENV);
            }
            try {
                token = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException(TOKEN_FILE_ENV + " names " + file + ", which cannot be read: " + e);
            }
            if (token.isEmpty()) {
                throw new IllegalArgumentException(TOKEN_FILE_ENV + " names " + file + ", which is empty");
            }
        }
        String fingerprint = env.get(FINGERPRINT_ENV);
        if (fingerprint == null || fingerprint.isBlank()) {
            throw new IllegalArgumentException("the vault " + url + " needs its certificate fingerprint in "
                    + FINGERPRINT_ENV + " (printed by the vault at start and by `vault fingerprint`)");
        }
        return new HttpBackend(base, token, fingerprint);
    }

    @Override
    public String location() {
        return location;
    }

    private URI objectUri(ObjectKind kind, String name) {
        if (!ObjectNames.isValid(name)) {
            throw new IllegalArgumentException("not a valid object name: " + name);
        }
        return base.resolve(kind.folder() + "/" + name);
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + token);
    }

    @Override
    public void create(ObjectKind kind, String name, byte[] content, @Nullable Instant retainUntil) throws IOException {
        URI uri = objectUri(kind, name);
        String hash = VaultServer.sha256(content);
        HttpRequest.Builder put = request(uri)
                .header(VaultServer.CONTENT_HASH, hash)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        if (retainUntil != null) {
            put.header(VaultServer.RETAIN_UNTIL, retainUntil.toString());
        }
        HttpRequest req = put.build();
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            HttpResponse<byte[]> r;
            try {
                r = send(req, "PUT " + path(kind, name));
            } catch (ConnectionFailure e) {
                lastFailure = e;
                pause(attempt);
                continue;
            }
            if (r.statusCode() == 201) {
                return;
            }
            if (r.statusCode() == 409) {
                String stored = r.headers().firstValue(VaultServer.CONTENT_HASH).orElse("");
                if (lastFailure != null && stored.equalsIgnoreCase(hash)) {
                    // The earlier attempt reached the vault before the connection dropped.
                    return;
                }
                throw new ObjectExistsException(kind, name);
            }
            throw failure("PUT", kind, name, r);
        }
        throw lastFailure;
    }

    @Override
    public byte[] read(ObjectKind kind, String name) throws IOException {
        HttpResponse<byte[]> r =
                sendIdempotent(request(objectUri(kind, name)).GET().build(), "GET " + path(kind, name));
        if (r.statusCode() == 200) {
            return r.body();
        }
        throw failure("GET", kind, name, r);
    }

    @Override
    public byte[] read(ObjectKind kind, String name, long offset, int length) throws IOException {
        if (length == 0) {
            return new byte[0];
        }
        HttpRequest req = request(objectUri(kind, name))
                .header("Range", "bytes=" + offset + "-" + (offset + length - 1))
                .GET()
                .build();
        HttpResponse<byte[]> r = sendIdempotent(req, "GET " + path(kind, name));
        if (r.statusCode() == 206 && r.body().length == length) {
            return r.body();
        }
        if (r.statusCode() == 206) {
            throw new IOException(
                    location + " returned " + r.body().length + " of " + length + " bytes of " + path(kind, name));
        }
        throw failure("GET", kind, name, r);
    }

    @Override
    public boolean exists(ObjectKind kind, String name) throws IOException {
        HttpResponse<byte[]> r = sendIdempotent(
                request(objectUri(kind, name))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                "HEAD " + path(kind, name));
        if (r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 404) {
            return false;
        }
        throw failure("HEAD", kind, name, r);
    }

    /** The retention date the vault holds for an object, or null for none beyond the lock period. */
    public @Nullable Instant retention(ObjectKind kind, String name) throws IOException {
        HttpResponse<byte[]> r = sendIdempotent(
                request(objectUri(kind, name))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                "HEAD " + path(kind, name));
        if (r.statusCode() != 200) {
            throw failure("HEAD", kind, name, r);
        }
        return r.headers()
                .firstValue(VaultServer.RETAIN_UNTIL)
                .map(Instant::parse)
                .orElse(null);
    }

    @Override
    public List<StoredObject> list(ObjectKind kind) throws IOException {
        HttpResponse<byte[]> r =
                sendIdempotent(request(base.resolve(kind.folder() + "/")).GET().build(), "GET " + kind.folder() + "/");
        if (r.statusCode() != 200) {
            throw new IOException(location + " refused to list " + kind.folder() + "/: " + describe(r));
        }
        List<StoredObject> out = new ArrayList<>();
        try {
            for (JsonNode n : JSON.readTree(r.body())) {
                out.add(new StoredObject(n.get("name").asString(), n.get("size").asLong()));
            }
        } catch (JacksonException | NullPointerException e) {
            throw new IOException(location + " answered the listing of " + kind.folder() + "/ with something that"
                    + " is not a listing");
        }
        return out;
    }

    @Override
    public void delete(ObjectKind kind, String name) throws IOException {
        HttpResponse<byte[]> r =
                sendIdempotent(request(objectUri(kind, name)).DELETE().build(), "DELETE " + path(kind, name));
        if (r.statusCode() != 204) {
            throw failure("DELETE", kind, name, r);
        }
    }

    @Override
    public void extendRetention(ObjectKind kind, String name, Instant retainUntil) throws IOException {
        URI uri = URI.create(objectUri(kind, name) + "?retain-until="
                + URLEncoder.encode(retainUntil.toString(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = sendIdempotent(
                request(uri).POST(HttpRequest.BodyPublishers.noBody()).build(), "POST " + path(kind, name));
        if (r.statusCode() != 200) {
            throw failure("extend the retention of", kind, name, r);
        }
    }

    @Override
    public void close() {
        // java.net.http.HttpClient releases its connections when it is no longer referenced.
    }

    private static String path(ObjectKind kind, String name) {
        return kind.folder() + "/" + name;
    }

    private IOException failure(String what, ObjectKind kind, String name, HttpResponse<byte[]> r) {
        return switch (r.statusCode()) {
            case 404 -> new NoSuchObjectException(kind, name);
            case 403 -> new NotPermittedException(location + " refused to " + what.toLowerCase(java.util.Locale.ROOT)
                    + " " + path(kind, name) + ": " + describe(r));
            case 401 -> new IOException(location + " did not accept the token for " + what + " " + path(kind, name)
                    + ": " + describe(r) + " (check " + TOKEN_ENV + " or " + TOKEN_FILE_ENV + ")");
            case 416 -> new IOException(location + ": " + describe(r));
            default -> new IOException(
                    location + " answered " + what + " " + path(kind, name) + " with " + describe(r));
        };
    }

    private static String describe(HttpResponse<byte[]> r) {
        String message = new String(r.body(), StandardCharsets.UTF_8).strip();
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return r.statusCode() + (message.isEmpty() ? "" : " " + message);
    }

    /** The connection to the vault failed before an answer came; what was sent may or may not have arrived. */
    private static final class ConnectionFailure extends IOException {
        ConnectionFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private HttpResponse<byte[]> sendIdempotent(HttpRequest req, String what) throws IOException {
        ConnectionFailure last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return send(req, what);
            } catch (ConnectionFailure e) {
                last = e;
                pause(attempt);
            }
        }
        throw last;
    }

    private HttpResponse<byte[]> send(HttpRequest req, String what) throws IOException {
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLHandshakeException e) {
            CertificateException pin = findCause(e, CertificateException.class);
            // A wrong certificate is not a passing fault: no retry, and the pin's own message.
            throw new IOException(
                    pin != null ? pin.getMessage() : location + " failed the TLS handshake for " + what + ": " + e, e);
        } catch (HttpTimeoutException e) {
            throw new ConnectionFailure(location + " did not answer " + what + " in time", e);
        } catch (ConnectException e) {
            throw new ConnectionFailure(
                    location + " cannot be reached for " + what + " (is the vault running and"
                            + " the address right?): " + e,
                    e);
        } catch (IOException e) {
            CertificateException pin = findCause(e, CertificateException.class);
            if (pin != null) {
                throw new IOException(pin.getMessage(), e);
            }
            throw new ConnectionFailure(location + " dropped the connection during " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " on " + location + " was interrupted", e);
        }
    }

    private static <T extends Throwable> @Nullable T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static void pause(int attempt) throws IOException {
        if (attempt >= ATTEMPTS) {
            return;
        }
        try {
            Thread.sleep(200L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry the vault", e);
        }
    }
}
