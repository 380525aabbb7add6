package jp.mamori.server.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Sign-in throughput and latency on this machine, against references measured in the same run.
 * Run: {@code ./mvnw -pl mamori-server -Pbench test}. Not part of the test suite.
 */
@Tag("bench")
class SignInBenchmark extends ServerTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final Duration RUN = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
    private static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("bench.warmup", 20));

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void password_and_totp_sign_in() throws Exception {
        // Reference: the bare Argon2id check at the same parameters, one thread.
        Argon2PasswordEncoder argon = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
        String hash = argon.encode("reference-password-1!");
        for (int i = 0; i < 5; i++) {
            argon.matches("reference-password-1!", hash);
        }
        int refRuns = 40;
        long t0 = System.nanoTime();
        for (int i = 0; i < refRuns; i++) {
            argon.matches("reference-password-1!", hash);
        }
        double argonPerSecond = refRuns / ((System.nanoTime() - t0) / 1e9);
        // The server hashes with the reference C implementation (argon2-jvm) where it loads: the same check through it.
        double nativeArgonPerSecond = Double.NaN;
        try {
            var c = de.mkammerer.argon2.Argon2Factory.create(de.mkammerer.argon2.Argon2Factory.Argon2Types.ARGON2id, 16, 32);
            char[] password = "reference-password-1!".toCharArray();
            String nativeHash = c.hash(2, 19 * 1024, 1, password);
            for (int i = 0; i < 5; i++) {
                c.verify(nativeHash, password);
            }
            long n0 = System.nanoTime();
            for (int i = 0; i < refRuns; i++) {
                c.verify(nativeHash, password);
            }
            nativeArgonPerSecond = refRuns / ((System.nanoTime() - n0) / 1e9);
        } catch (LinkageError | RuntimeException unavailable) {
            System.out.println("the native Argon2 library did not load: " + unavailable);
        }

        // Enough users that no TOTP code is needed twice in one 30-second step.
        int users = (int) Math.max(200, argonPerSecond * CORES * 30 / 3 * 1.5);
        List<IdentityFixtures.TestUser> pool = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            pool.add(fixtures.user("bench", JobType.NURSE, "NURSE"));
        }
        // The clients run in a process of their own: all CPU time of this JVM and of PostgreSQL is the server's.
        int clients = CORES * 2;
        // A warm-up run first, not measured: a server that has just started spends much of its CPU
        // compiling the request path (JIT), which a server in service has long done.
        if (WARMUP.toSeconds() > 0) {
            // Users of their own, so that no TOTP code of the warm-up is needed again (a used code is refused).
            List<IdentityFixtures.TestUser> warmUsers = new ArrayList<>();
            for (int i = 0; i < users / 3; i++) {
                warmUsers.add(fixtures.user("warm", JobType.NURSE, "NURSE"));
            }
            runLoad(warmUsers, clients, WARMUP);
        }
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SignInLoad.class.getName(),
                        baseUrl(),
                        String.valueOf(clients),
                        String.valueOf(RUN.toSeconds()))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process load = pb.start();
        try (var stdin = new java.io.PrintWriter(load.getOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8)) {
            for (IdentityFixtures.TestUser u : pool) {
                stdin.println(u.loginId() + "\t" + u.password() + "\t" + java.util.HexFormat.of().formatHex(u.totpSecret()));
            }
            stdin.println();
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        ServerCpu pg = ServerCpu.start();
        long start = System.nanoTime();
        List<Long> latencies = new ArrayList<>();
        int failures = 0;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(load.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("failed ")) {
                    failures = Integer.parseInt(line.substring(7).trim());
                } else if (!line.isBlank()) {
                    latencies.add(Long.parseLong(line.trim()));
                }
            }
        }
        load.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        double jvmSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
        double pgSeconds = pg.postgresSeconds();
        double serverCpuSeconds = jvmSeconds + pgSeconds;
        double perSecond = latencies.size() / seconds;
        double perServerCoreSecond = latencies.size() / serverCpuSeconds;
        double p50 = percentile(latencies, 50);
        double p95 = percentile(latencies, 95);
        System.out.printf(
                "%n== Password + TOTP sign-in (Argon2id m=19 MiB t=2 p=1), %d cores, %d clients, %.0f s ==%n",
                CORES, clients, seconds);
        System.out.printf("sign-ins: %d, failed: %d%n", latencies.size(), failures);
        System.out.printf("throughput: %.1f sign-ins/s on %d cores shared with the clients%n", perSecond, CORES);
        System.out.printf(
                "server CPU (the server JVM, GC included, + PostgreSQL): %.1f s → %.1f sign-ins per server core-second%n",
                serverCpuSeconds, perServerCoreSecond);
        System.out.printf(
                "server CPU per sign-in: %.1f ms in the JVM, %.1f ms in PostgreSQL%n",
                jvmSeconds * 1000 / latencies.size(), pgSeconds * 1000 / latencies.size());
        System.out.printf(
                "latency (GET login page, POST password → second-factor page, POST TOTP → redirect): p50 %.0f ms, p95 %.0f ms%n",
                p50, p95);
        System.out.printf(
                "reference, bare Argon2id check on one thread: %.1f/s in Java (Bouncy Castle), %.1f/s in C (what the server uses)%n",
                argonPerSecond, nativeArgonPerSecond);
        System.out.printf(
                "ratio sign-ins per server core-second / bare Argon2id checks per core-second: %.2f (Java), %.2f (C)%n",
                perServerCoreSecond / argonPerSecond, perServerCoreSecond / nativeArgonPerSecond);
        System.out.printf(
                "ratio sign-ins per server core-second / Keycloak's published 15 password logins/s per vCPU: %.2f%n",
                perServerCoreSecond / 15.0);
    }

    @Test
    void terminal_switch() throws Exception {
        var terminal = fixtures.terminal(300);
        var a = fixtures.user("bench-ta", JobType.NURSE, "NURSE");
        var b = fixtures.user("bench-tb", JobType.NURSE, "NURSE");
        String cardA = fixtures.card(a, "4927");
        String cardB = fixtures.card(b, "5836");
        WebClient browserA = terminalBrowser(terminal.credential());
        WebClient browserB = terminalBrowser(terminal.credential());
        List<Long> latencies = new ArrayList<>();
        List<Long> accepted = new ArrayList<>();
        int rounds = Integer.getInteger("bench.switches", 200);
        for (int i = 0; i < rounds + 20; i++) {
            boolean even = i % 2 == 0;
            WebClient web = even ? browserA : browserB;
            web.get("/terminal/lock");
            long s = System.nanoTime();
            web.postWithoutFollowing(
                    "/terminal/unlock", Map.of("cardUid", even ? cardA : cardB, "pin", even ? "4927" : "5836"));
            long tapDone = System.nanoTime();
            if (web.last().statusCode() != 302) {
                throw new IllegalStateException("The tap was not accepted: " + web.last().statusCode());
            }
            web.get("/");
            if (!web.path().equals("/")) {
                throw new IllegalStateException("The tap did not sign in: " + web.path());
            }
            long took = System.nanoTime() - s;
            if (i >= 20) {
                latencies.add(took);
                accepted.add(tapDone - s);
            }
        }
        System.out.printf("%n== Terminal switch: tap + PIN → previous user displaced → new session's page served ==%n");
        System.out.printf("switches: %d, p50 %.0f ms, p95 %.0f ms, max %.0f ms (target p95 < 300 ms)%n",
                latencies.size(), percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 100));
        System.out.printf("of which the tap until its answer: p50 %.0f ms, p95 %.0f ms%n",
                percentile(accepted, 50), percentile(accepted, 95));
    }

    /** Runs the load generator for a while and discards what it measured. */
    private void runLoad(List<IdentityFixtures.TestUser> pool, int clients, Duration length) throws Exception {
        Process load = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SignInLoad.class.getName(),
                        baseUrl(),
                        String.valueOf(clients),
                        String.valueOf(length.toSeconds()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (var stdin = new java.io.PrintWriter(load.getOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8)) {
            for (IdentityFixtures.TestUser u : pool) {
                stdin.println(u.loginId() + "\t" + u.password() + "\t" + java.util.HexFormat.of().formatHex(u.totpSecret()));
            }
            stdin.println();
        }
        load.waitFor();
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1e6;
    }
}
