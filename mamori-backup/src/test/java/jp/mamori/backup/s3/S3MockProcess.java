package jp.mamori.backup.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Adobe S3Mock run as a separate Java process from the runnable jar the build copies into {@code
 * target/s3mock/}: it is a Spring Boot application and stays off the test classpath.
 */
final class S3MockProcess implements AutoCloseable {

    private final Process process;
    final URI endpoint;

    private S3MockProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts S3Mock on free loopback ports, or returns null with the reason in {@code whyNot}. */
    static @Nullable S3MockProcess start(Path storeRoot, StringBuilder whyNot)
            throws IOException, InterruptedException {
        Path jar = Path.of("target", "s3mock", "s3mock-exec.jar");
        if (!Files.isRegularFile(jar)) {
            whyNot.append("S3Mock's jar is not at ")
                    .append(jar.toAbsolutePath())
                    .append(" (the build's copy-s3mock step did not run)");
            return null;
        }
        int http = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                jar.toAbsolutePath().toString(),
                "--server.address=127.0.0.1",
                "--server.port=" + freePort(),
                "--http.port=" + http,
                "--vectors.http.port=" + freePort(),
                "--vectors.https.port=" + freePort(),
                "--com.adobe.testing.s3mock.store.root=" + storeRoot.toAbsolutePath(),
                "--com.adobe.testing.s3mock.max-payload-size=80MB",
                "--spring.main.banner-mode=off"));
        Path log = Path.of("target", "s3mock", "s3mock-" + http + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        URI endpoint = URI.create("http://127.0.0.1:" + http);
        HttpClient probe =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                whyNot.append("S3Mock exited with ")
                        .append(process.exitValue())
                        .append("; see ")
                        .append(log);
                return null;
            }
            try {
                probe.send(
                        HttpRequest.newBuilder(endpoint.resolve("/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return new S3MockProcess(process, endpoint);
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        process.destroyForcibly();
        whyNot.append("S3Mock did not answer within 90 s; see ").append(log);
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
