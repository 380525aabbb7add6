package jp.mamori.backup.vault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.Backend.StoredObject;
import jp.mamori.backup.repository.LocalBackend;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.ObjectNames;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The vault: an HTTPS server that keeps repository objects in a {@link LocalBackend} under its own
 * root and lets an append token create and read them but never overwrite or delete one. Deleting
 * needs the administrator token, presented from the vault's own host, and even then waits until the
 * object is older than the lock period and past its retention date. The protocol is described in
 * {@code docs/backup-vault.md}.
 */
public final class VaultServer implements Closeable {

    /** Header carrying the SHA-256 of an object's bytes (hex), on PUT and on every answer about an object. */
    static final String CONTENT_HASH = "X-Mamori-Content-SHA256";
    /** Header carrying an object's retention date (ISO-8601 instant). */
    static final String RETAIN_UNTIL = "X-Mamori-Retain-Until";
    /** Header carrying an object's size on HEAD. */
    static final String SIZE = "X-Mamori-Size";

    /**
     * How a vault runs.
     *
     * @param lockPeriod how long after arrival an object cannot be deleted by anyone
     * @param maxObjectBytes the largest object accepted
     * @param clock the vault's clock (tests move it to age objects)
     */
    public record Settings(
            Path root, InetSocketAddress listen, Duration lockPeriod, long maxObjectBytes, int threads, Clock clock) {

        public static final long DEFAULT_MAX_OBJECT_BYTES = 64L * 1024 * 1024;

        public static Settings of(Path root, InetSocketAddress listen, Duration lockPeriod) {
            return new Settings(root, listen, lockPeriod, DEFAULT_MAX_OBJECT_BYTES, 8, Clock.systemUTC());
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Settings settings;
    private final HttpsServer server;
    private final ExecutorService workers;
    private final Backend objects;
    private final ObjectRecords records;
    private final VaultTokens tokens;
    private final RequestLog log;
    private final VaultCertificate certificate;

    private VaultServer(Settings settings) throws IOException {
        this.settings = settings;
        Path root = settings.root().toAbsolutePath();
        Files.createDirectories(root);
        this.certificate = VaultCertificate.loadOrCreate(root);
        this.objects = new LocalBackend(root.resolve("objects"));
        this.records = new ObjectRecords(root);
        this.tokens = new VaultTokens(root);
        this.log = new RequestLog(root);
        try {
            this.server = HttpsServer.create(settings.listen(), 64);
        } catch (BindException e) {
            log.close();
            throw new IOException(
                    "the vault cannot listen on " + settings.listen().getHostString() + ":"
                            + settings.listen().getPort() + " (" + e.getMessage()
                            + "); is another vault already running there?",
                    e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "vault-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    /** Starts a vault; it serves until {@link #close()}. */
    public static VaultServer start(Settings settings) throws IOException {
        VaultServer vault = new VaultServer(settings);
        vault.server.start();
        return vault;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address clients use, with the loopback name when the vault listens on every address. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress()
                ? "127.0.0.1"
                : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("https://" + host + ":" + a.getPort() + "/");
    }

    /** The SHA-256 fingerprint of the vault's certificate, which clients pin. */
    public String fingerprint() {
        return certificate.fingerprint();
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }

    /** One exchange's outcome, for the request log. */
    private static final class Call {
        @Nullable
        String tokenId;

        int status;
        long bytes;
    }

    /** A refusal or failure that ends the exchange with a status and a message for the client. */
    private static final class Refusal extends Exception {
        final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) {
        long started = System.nanoTime();
        Instant now = settings.clock().instant();
        Call call = new Call();
        String path = ex.getRequestURI().getRawPath();
        try {
            dispatch(ex, call, now);
        } catch (Refusal r) {
            respondText(ex, call, r.status, r.getMessage());
        } catch (IOException | RuntimeException e) {
            // The detail (paths on the vault host) stays with the vault's operator.
            System.err.println("vault: " + ex.getRequestMethod() + " " + path + " failed: " + e);
            respondText(ex, call, 500, "the vault failed to handle the request; its operator sees why on its console");
        } finally {
            ex.close();
            String source = ex.getRemoteAddress().getAddress().getHostAddress();
            log.record(
                    now,
                    source,
                    call.tokenId,
                    ex.getRequestMethod(),
                    path,
                    call.status,
                    call.bytes,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    private void dispatch(HttpExchange ex, Call call, Instant now) throws IOException, Refusal {
        VaultTokens.Entry token = tokens.authenticate(bearer(ex));
        if (token == null) {
            // The same answer for a missing and a wrong token, so guessing learns nothing.
            drain(ex);
            throw new Refusal(401, "missing or wrong vault token");
        }
        call.tokenId = token.id();
        boolean admin = token.roleValue() == VaultTokens.Role.ADMIN;
        if (admin && !adminAllowedFrom(ex.getRemoteAddress().getAddress())) {
            drain(ex);
            throw new Refusal(403, "the administrator token is accepted only on the vault's own host");
        }
        String path = ex.getRequestURI().getRawPath();
        String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
        if (parts.length != 2) {
            drain(ex);
            throw new Refusal(404, "no such vault path: " + path + " (expected /{folder}/ or /{folder}/{name})");
        }
        ObjectKind kind;
        try {
            kind = ObjectKind.fromFolder(parts[0]);
        } catch (IllegalArgumentException e) {
            drain(ex);
            throw new Refusal(404, "no such repository folder: " + parts[0]);
        }
        String method = ex.getRequestMethod();
        if (parts[1].isEmpty()) {
            if (!method.equals("GET")) {
                drain(ex);
                throw new Refusal(405, method + " is not allowed on a folder; use GET to list it");
            }
            list(ex, call, kind);
            return;
        }
        String name = parts[1];
        if (!ObjectNames.isValid(name)) {
            drain(ex);
            throw new Refusal(400, "not a valid object name: " + name);
        }
        switch (method) {
            case "PUT" -> create(ex, call, kind, name, now);
            case "GET" -> read(ex, call, kind, name);
            case "HEAD" -> head(ex, call, kind, name);
            case "DELETE" -> {
                requireAdmin(ex, admin, "delete objects");
                delete(ex, call, kind, name, now);
            }
            case "POST" -> {
                requireAdmin(ex, admin, "extend retention");
                extendRetention(ex, call, kind, name);
            }
            default -> {
                drain(ex);
                throw new Refusal(405, method + " is not part of the vault protocol");
            }
        }
    }

    /**
     * The administrator token counts only from the vault's own host: a stolen copy used from the
     * hospital network is refused even though it is the right token.
     */
    static boolean adminAllowedFrom(InetAddress source) {
        return source.isLoopbackAddress();
    }

    private void requireAdmin(HttpExchange ex, boolean admin, String what) throws Refusal {
        if (!admin) {
            drain(ex);
            throw new Refusal(
                    403,
                    "an append token may not " + what + "; that needs the administrator token on the vault's own host");
        }
    }

    private void create(HttpExchange ex, Call call, ObjectKind kind, String name, Instant now)
            throws IOException, Refusal {
        String lengthHeader = ex.getRequestHeaders().getFirst("Content-Length");
        if (lengthHeader == null) {
            throw new Refusal(411, "PUT needs a Content-Length");
        }
        long length;
        try {
            length = Long.parseLong(lengthHeader);
        } catch (NumberFormatException e) {
            throw new Refusal(400, "Content-Length is not a number: " + lengthHeader);
        }
        if (length < 0) {
            throw new Refusal(400, "Content-Length is negative: " + lengthHeader);
        }
        if (length > settings.maxObjectBytes()) {
            throw new Refusal(
                    413,
                    kind.folder() + "/" + name + " is " + length + " bytes; this vault accepts objects up to "
                            + settings.maxObjectBytes() + " bytes");
        }
        @Nullable Instant retainUntil = null;
        String retainHeader = ex.getRequestHeaders().getFirst(RETAIN_UNTIL);
        if (retainHeader != null) {
            retainUntil = parseInstant(retainHeader);
        }
        byte[] content;
        try (InputStream in = ex.getRequestBody()) {
            content = in.readNBytes((int) length);
        }
        call.bytes = content.length;
        if (content.length != length) {
            throw new Refusal(
                    400, "the body ended after " + content.length + " of " + length + " bytes; nothing was stored");
        }
        String hash = sha256(content);
        String claimed = ex.getRequestHeaders().getFirst(CONTENT_HASH);
        if (claimed != null && !claimed.equalsIgnoreCase(hash)) {
            throw new Refusal(
                    400, "the body does not match its " + CONTENT_HASH + "; damaged in transit, nothing stored");
        }
        try {
            objects.create(kind, name, content, retainUntil);
        } catch (Backend.ObjectExistsException e) {
            ex.getResponseHeaders().set(CONTENT_HASH, storedHash(kind, name));
            throw new Refusal(409, e.getMessage());
        }
        records.put(
                kind,
                name,
                new ObjectRecords.ObjectRecord(
                        now.toString(), hash, content.length, retainUntil == null ? null : retainUntil.toString()));
        ex.getResponseHeaders().set(CONTENT_HASH, hash);
        respond(ex, call, 201, new byte[0], null);
    }

    private String storedHash(ObjectKind kind, String name) throws IOException {
        ObjectRecords.ObjectRecord record = records.find(kind, name);
        // A concurrent create may not have written its record yet: the bytes are the truth.
        return record != null ? record.sha256() : sha256(objects.read(kind, name));
    }

    private void read(HttpExchange ex, Call call, ObjectKind kind, String name) throws IOException, Refusal {
        String range = ex.getRequestHeaders().getFirst("Range");
        try {
            if (range == null) {
                byte[] content = objects.read(kind, name);
                ex.getResponseHeaders().set(CONTENT_HASH, sha256(content));
                respond(ex, call, 200, content, "application/octet-stream");
                return;
            }
            long[] bounds = parseRange(range);
            long offset = bounds[0];
            long end = bounds[1];
            long size = size(kind, name);
            if (end >= size) {
                throw new Refusal(
                        416,
                        kind.folder() + "/" + name + " is " + size + " bytes, shorter than " + (end + 1)
                                + ": the object is truncated");
            }
            byte[] part = objects.read(kind, name, offset, (int) (end - offset + 1));
            ex.getResponseHeaders().set("Content-Range", "bytes " + offset + "-" + end + "/" + size);
            respond(ex, call, 206, part, "application/octet-stream");
        } catch (Backend.NoSuchObjectException e) {
            throw new Refusal(404, e.getMessage());
        }
    }

    private long size(ObjectKind kind, String name) throws IOException {
        ObjectRecords.ObjectRecord record = records.find(kind, name);
        if (record != null) {
            return record.size();
        }
        return objects.read(kind, name).length;
    }

    private static long[] parseRange(String range) throws Refusal {
        if (range.startsWith("bytes=") && !range.contains(",")) {
            String[] ends = range.substring(6).split("-", -1);
            try {
                long start = Long.parseLong(ends[0]);
                long end = Long.parseLong(ends[1]);
                if (ends.length == 2 && start >= 0 && end >= start && end - start < Integer.MAX_VALUE) {
                    return new long[] {start, end};
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // falls through to the refusal below
            }
        }
        throw new Refusal(400, "the vault reads one range of the form bytes=START-END, not: " + range);
    }

    private void head(HttpExchange ex, Call call, ObjectKind kind, String name) throws IOException, Refusal {
        if (!objects.exists(kind, name)) {
            throw new Refusal(404, kind.folder() + "/" + name + " is missing from the repository");
        }
        ObjectRecords.ObjectRecord record = records.find(kind, name);
        if (record != null) {
            ex.getResponseHeaders().set(CONTENT_HASH, record.sha256());
            ex.getResponseHeaders().set(SIZE, Long.toString(record.size()));
            if (record.retainUntil() != null) {
                ex.getResponseHeaders().set(RETAIN_UNTIL, record.retainUntil());
            }
        }
        call.status = 200;
        ex.sendResponseHeaders(200, -1);
    }

    private void list(HttpExchange ex, Call call, ObjectKind kind) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StoredObject o : objects.list(kind)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", o.name());
            entry.put("size", o.size());
            out.add(entry);
        }
        respond(ex, call, 200, JSON.writeValueAsBytes(out), "application/json");
    }

    private void delete(HttpExchange ex, Call call, ObjectKind kind, String name, Instant now)
            throws IOException, Refusal {
        if (!objects.exists(kind, name)) {
            throw new Refusal(404, kind.folder() + "/" + name + " is missing from the repository");
        }
        ObjectRecords.ObjectRecord record = records.find(kind, name);
        if (record == null) {
            throw new Refusal(
                    403,
                    kind.folder() + "/" + name + " has no record of when it arrived, so its lock cannot be"
                            + " checked; it is kept");
        }
        Instant lockedUntil = record.createdAt().plus(settings.lockPeriod());
        Instant retainUntil = record.retainUntilAt();
        if (retainUntil != null && retainUntil.isAfter(lockedUntil)) {
            lockedUntil = retainUntil;
        }
        if (now.isBefore(lockedUntil)) {
            throw new Refusal(
                    403,
                    kind.folder() + "/" + name + " is locked until " + lockedUntil + " (arrived " + record.created()
                            + ", vault lock period " + settings.lockPeriod().toDays() + " days"
                            + (retainUntil != null ? ", retained until " + retainUntil : "") + ")");
        }
        objects.delete(kind, name);
        records.remove(kind, name);
        call.status = 204;
        ex.sendResponseHeaders(204, -1);
    }

    private void extendRetention(HttpExchange ex, Call call, ObjectKind kind, String name) throws IOException, Refusal {
        drain(ex);
        String query = ex.getRequestURI().getRawQuery();
        String prefix = "retain-until=";
        if (query == null || !query.startsWith(prefix)) {
            throw new Refusal(400, "POST on an object extends its retention: add ?retain-until=INSTANT");
        }
        Instant requested = parseInstant(URLDecoder.decode(query.substring(prefix.length()), StandardCharsets.UTF_8));
        if (!objects.exists(kind, name)) {
            throw new Refusal(404, kind.folder() + "/" + name + " is missing from the repository");
        }
        synchronized (records) {
            ObjectRecords.ObjectRecord record = records.find(kind, name);
            if (record == null) {
                byte[] content = objects.read(kind, name);
                // Without a record the arrival time is unknown; counting from now keeps the lock the longer.
                record = new ObjectRecords.ObjectRecord(
                        settings.clock().instant().toString(), sha256(content), content.length, null);
            }
            Instant current = record.retainUntilAt();
            if (current == null || requested.isAfter(current)) {
                record = new ObjectRecords.ObjectRecord(
                        record.created(), record.sha256(), record.size(), requested.toString());
                records.put(kind, name, record);
            }
            ex.getResponseHeaders().set(RETAIN_UNTIL, record.retainUntil());
        }
        respond(ex, call, 200, new byte[0], null);
    }

    private static Instant parseInstant(String text) throws Refusal {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Refusal(400, "not an ISO-8601 instant (like 2031-04-01T00:00:00Z): " + text);
        }
    }

    private static @Nullable String bearer(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return null;
        }
        return header.substring(7).trim();
    }

    /**
     * Reads and discards a refused request's body, so the client gets the answer rather than a reset
     * connection; at most one object's worth, so a refused client cannot keep the vault reading.
     */
    private void drain(HttpExchange ex) {
        try (InputStream in = ex.getRequestBody()) {
            long left = settings.maxObjectBytes();
            byte[] buf = new byte[65536];
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            // The answer goes out regardless; the connection is closed after it.
        }
    }

    private static void respond(HttpExchange ex, Call call, int status, byte[] body, @Nullable String type)
            throws IOException {
        call.status = status;
        if (type != null) {
            ex.getResponseHeaders().set("Content-Type", type);
        }
        if (body.length > 0) {
            call.bytes = body.length;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private static void respondText(HttpExchange ex, Call call, int status, @Nullable String message) {
        call.status = status;
        try {
            byte[] body = (message == null || ex.getRequestMethod().equals("HEAD") ? "" : message)
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                ex.getResponseBody().write(body);
            }
        } catch (IOException e) {
            // The client went away; the request log still records the outcome.
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
