package jp.mamori.server.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jp.mamori.server.WebClient;

/**
 * The load generator, run as a process of its own so that its CPU time is not the server's. Reads
 * users as lines {@code loginId TAB password TAB base32-free hex TOTP seed} on standard input; prints
 * one latency in nanoseconds per successful sign-in and {@code failed N} at the end.
 *
 * <p>Arguments: base URL, clients, seconds.
 */
public final class SignInLoad {

    private static final Map<String, int[]> USES = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int clients = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        ConcurrentLinkedQueue<String[]> users = new ConcurrentLinkedQueue<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            users.add(line.split("\t"));
        }
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        ExecutorService ex = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(ex.submit(() -> {
                while (System.nanoTime() < end) {
                    String[] u = users.poll();
                    try {
                        long s = System.nanoTime();
                        WebClient web = new WebClient(base);
                        web.get("/login");
                        web.post("/login", Map.of("loginId", u[0], "password", u[1]));
                        web.postWithoutFollowing("/login/totp", Map.of("code", code(u)));
                        if (web.last().statusCode() == 302
                                && "/".equals(web.last().headers().firstValue("Location").map(l -> l.replaceFirst("^https?://[^/]+", "")).orElse(""))) {
                            latencies.add(System.nanoTime() - s);
                        } else {
                            failed.incrementAndGet();
                        }
                    } finally {
                        users.add(u);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        ex.shutdown();
        for (long l : latencies) {
            System.out.println(l);
        }
        System.out.println("failed " + failed.get());
    }

    /** At most three sign-ins per user and 30-second step: the codes of the step before, now and after. */
    private static String code(String[] u) {
        long step = Instant.now().getEpochSecond() / 30;
        int[] use = USES.computeIfAbsent(u[0], k -> new int[] {0, 0});
        synchronized (use) {
            if (use[0] != (int) step) {
                use[0] = (int) step;
                use[1] = 0;
            }
            int offset = Math.min(-1 + use[1]++, 1);
            return totp(java.util.HexFormat.of().parseHex(u[2]), step + offset);
        }
    }

    private static String totp(byte[] secret, long step) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA1"));
            byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
            int o = h[h.length - 1] & 0x0f;
            int bin = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
            return String.format("%06d", bin % 1_000_000);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
