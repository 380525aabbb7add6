package jp.mamori.server.audit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The clock the access log trusts: the JVM's, which is the host's. Whether the host keeps it in step
 * with NTP is read where that needs no privileges — systemd-timesyncd's flag file, or {@code
 * timedatectl show} — and is otherwise reported as unknown, never guessed.
 */
@Component
class TimeSource {

    private static final Path TIMESYNC_FLAG = Path.of("/run/systemd/timesync/synchronized");
    private static final Duration CACHE = Duration.ofMinutes(1);

    enum Ntp {
        SYNCHRONIZED,
        NOT_SYNCHRONIZED,
        UNKNOWN
    }

    /** What the server knows of its clock, and how it found out. */
    record Status(String clock, Instant now, Ntp ntp, String how) {

        public java.time.ZonedDateTime nowJst() {
            return now.atZone(java.time.ZoneId.of("Asia/Tokyo"));
        }
    }

    private final Clock clock;
    private volatile @Nullable Status cached;
    private volatile Instant cachedAt = Instant.EPOCH;

    TimeSource(Clock clock) {
        this.clock = clock;
    }

    Status status() {
        Instant now = clock.instant();
        Status s = cached;
        if (s == null || Duration.between(cachedAt, now).compareTo(CACHE) > 0) {
            s = read();
            cached = s;
            cachedAt = now;
        }
        return new Status(s.clock(), now, s.ntp(), s.how());
    }

    private Status read() {
        String jvm = "JVM " + Runtime.version().feature() + " system clock (" + clock.getZone() + ")";
        if (Files.exists(TIMESYNC_FLAG)) {
            return new Status(jvm, clock.instant(), Ntp.SYNCHRONIZED, TIMESYNC_FLAG.toString());
        }
        String answer = timedatectl();
        if ("yes".equals(answer)) {
            return new Status(jvm, clock.instant(), Ntp.SYNCHRONIZED, "timedatectl show");
        }
        if ("no".equals(answer)) {
            return new Status(jvm, clock.instant(), Ntp.NOT_SYNCHRONIZED, "timedatectl show");
        }
        return new Status(jvm, clock.instant(), Ntp.UNKNOWN, "");
    }

    /** NTPSynchronized as timedatectl reports it, or null when it cannot tell (no systemd, no bus). */
    private static @Nullable String timedatectl() {
        for (String dir : new String[] {"/usr/bin", "/bin"}) {
            Path exe = Path.of(dir, "timedatectl");
            if (!Files.isExecutable(exe)) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(exe.toString(), "show", "--property=NTPSynchronized", "--value")
                        .redirectErrorStream(true)
                        .start();
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return null;
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                return p.exitValue() == 0 ? out : null;
            } catch (java.io.IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
