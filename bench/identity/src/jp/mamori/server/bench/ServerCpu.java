package jp.mamori.server.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time spent by the server side only: the servlet container's request threads of this JVM and
 * every PostgreSQL process, so that clients running on the same machine do not count.
 */
final class ServerCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final Map<Long, Long> threadStart = new HashMap<>();
    private final Map<Long, Long> pgStart;

    private ServerCpu() {
        for (long id : THREADS.getAllThreadIds()) {
            var info = THREADS.getThreadInfo(id);
            if (info != null && info.getThreadName().startsWith("http-nio")) {
                threadStart.put(id, THREADS.getThreadCpuTime(id));
            }
        }
        pgStart = postgresTicks();
    }

    static ServerCpu start() {
        return new ServerCpu();
    }

    /** CPU seconds of the PostgreSQL processes since the start. */
    double postgresSeconds() {
        long ticks = 0;
        for (var e : postgresTicks().entrySet()) {
            ticks += e.getValue() - pgStart.getOrDefault(e.getKey(), 0L);
        }
        return (double) ticks / TICKS_PER_SECOND;
    }

    double seconds() {
        long nanos = 0;
        for (long id : THREADS.getAllThreadIds()) {
            var info = THREADS.getThreadInfo(id);
            if (info != null && info.getThreadName().startsWith("http-nio")) {
                long now = THREADS.getThreadCpuTime(id);
                nanos += now - threadStart.getOrDefault(id, 0L);
            }
        }
        long ticks = 0;
        for (var e : postgresTicks().entrySet()) {
            ticks += e.getValue() - pgStart.getOrDefault(e.getKey(), 0L);
        }
        return nanos / 1e9 + (double) ticks / TICKS_PER_SECOND;
    }

    /** utime + stime of every process named postgres, by pid. */
    private static Map<Long, Long> postgresTicks() {
        Map<Long, Long> out = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    if (!name.startsWith("postgres")) {
                        return;
                    }
                    String[] f = stat.substring(close + 2).split(" ");
                    out.put(Long.parseLong(p.getFileName().toString()), Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            });
        } catch (IOException e) {
            // not Linux: PostgreSQL time is not counted
        }
        return out;
    }
}
