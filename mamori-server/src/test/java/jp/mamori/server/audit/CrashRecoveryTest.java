package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged event survives a crash: a server process appending from two threads is killed
 * with SIGKILL together with its embedded PostgreSQL, mid-append, then started again on the same
 * data folder. Every event whose append had returned is in the log at its index, and the whole log
 * verifies offline. (A kill leaves the operating system's page cache intact; losing power also
 * tests the disk's own flushing, which PostgreSQL's fsync relies on.)
 */
class CrashRecoveryTest {

    @TempDir
    Path dataDir;

    private Process start(String mode, Map<String, String> acks, CountDownLatch ready, List<String> lines)
            throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-cp",
                        classPath,
                        CrashChild.class.getName(),
                        mode,
                        dataDir.toString())
                .redirectErrorStream(true)
                .start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("ACK ")) {
                        String[] f = line.split(" ");
                        acks.put(f[2], f[1]);
                    } else if (line.equals("READY")) {
                        ready.countDown();
                    } else {
                        lines.add(line);
                        if (line.startsWith("VERIFIED")) {
                            ready.countDown();
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // the process was killed: its output ends here
            }
        });
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    /** The embedded PostgreSQL's postmaster and its backends, while it runs. */
    private List<ProcessHandle> postgres() throws java.io.IOException {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        List<ProcessHandle> out = new ArrayList<>();
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            ProcessHandle.of(pid).ifPresent(pg -> {
                out.addAll(pg.descendants().toList());
                out.add(pg);
            });
        }
        return out;
    }

    @org.junit.jupiter.api.AfterEach
    void stopWhatIsLeft() throws java.io.IOException {
        postgres().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void every_acknowledged_event_survives_a_kill_and_the_log_verifies() throws Exception {
        Map<String, String> acks = new ConcurrentHashMap<>();
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch ready = new CountDownLatch(1);
        Process appender = start("append", acks, ready, output);
        assertThat(ready.await(120, TimeUnit.SECONDS))
                .as(String.join("\n", output))
                .isTrue();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acks.size() < 1500 && System.nanoTime() < until && appender.isAlive()) {
            Thread.sleep(20);
        }
        // Kill the server and its PostgreSQL at once, while both threads are appending. pg_ctl leaves
        // the postmaster running on its own, so it is found through its pid file.
        List<ProcessHandle> tree =
                new ArrayList<>(appender.toHandle().descendants().toList());
        tree.addAll(postgres());
        appender.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        Map<String, String> acknowledged = Map.copyOf(acks);
        appender.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle h : tree) {
            h.onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(acknowledged.size()).as(String.join("\n", output)).isGreaterThanOrEqualTo(100);

        CountDownLatch verified = new CountDownLatch(1);
        Process verifier = start("verify", new ConcurrentHashMap<>(), verified, output);
        assertThat(verified.await(120, TimeUnit.SECONDS))
                .as(String.join("\n", output))
                .isTrue();
        assertThat(verifier.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String result = output.stream()
                .filter(l -> l.startsWith("VERIFIED"))
                .findFirst()
                .orElseThrow();
        assertThat(result).startsWith("VERIFIED true ");

        Set<String> stored = new HashSet<>(Files.readAllLines(dataDir.resolve("events.txt")));
        List<String> lost = new ArrayList<>();
        acknowledged.forEach((patient, index) -> {
            if (!stored.contains(index + " " + patient)) {
                lost.add(patient + " at " + index);
            }
        });
        assertThat(lost).as("acknowledged but not in the log after the crash").isEmpty();
    }
}
