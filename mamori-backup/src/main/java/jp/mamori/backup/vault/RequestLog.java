package jp.mamori.backup.vault;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every request the vault answers, one JSON line each in {@code requests.log} in the vault root:
 * time, source address, token id (never the token), method, path, status, body bytes and
 * milliseconds. Each line is flushed before the next request is logged, so the log is there for the
 * investigation even if the vault host is switched off afterwards.
 */
final class RequestLog implements Closeable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final OutputStream out;

    RequestLog(Path vaultRoot) throws IOException {
        this.out = Files.newOutputStream(
                vaultRoot.resolve("requests.log"), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    synchronized void record(
            Instant time,
            String source,
            @Nullable String tokenId,
            String method,
            String path,
            int status,
            long bytes,
            long millis) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", time.toString());
        line.put("source", source);
        line.put("token", tokenId);
        line.put("method", method);
        line.put("path", path);
        line.put("status", status);
        line.put("bytes", bytes);
        line.put("ms", millis);
        try {
            out.write(JSON.writeValueAsBytes(line));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            // A vault that cannot log must still be seen to fail: the operator reads standard error.
            System.err.println("vault request log could not be written: " + e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
