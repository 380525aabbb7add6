package jp.mamori.server.identity;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins per login ID and per source address. From the {@value #FREE_FAILURES}th
 * failure on, each further attempt waits twice as long as the last (up to 15 minutes); at
 * {@value #LOCKOUT_FAILURES} failures on one login ID the account is locked until an administrator
 * unlocks it. Keys are login IDs as typed, so that an unknown ID behaves exactly like a known one.
 */
@Component
class LoginThrottle {

    static final int FREE_FAILURES = 3;
    static final int LOCKOUT_FAILURES = 10;
    static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final JdbcClient jdbc;
    private final Clock clock;

    LoginThrottle(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    static String accountKey(String loginId) {
        return "account:" + loginId.strip().toLowerCase(Locale.ROOT);
    }

    static String sourceKey(String address) {
        return "source:" + address;
    }

    /** Whether attempts on this key are refused right now. */
    boolean blocked(String key) {
        Instant now = clock.instant();
        return jdbc.sql("SELECT blocked_until FROM login_throttle WHERE throttle_key = ?")
                .param(key)
                .query(Timestamp.class)
                .optional()
                .map(t -> t.toInstant().isAfter(now))
                .orElse(false);
    }

    /** Records a failure; returns the failure count now held for the key. */
    int fail(String key) {
        Instant now = clock.instant();
        int failures = jdbc.sql(
                        """
                        INSERT INTO login_throttle (throttle_key, failures, last_failure_at) VALUES (?, 1, ?)
                        ON CONFLICT (throttle_key) DO UPDATE
                            SET failures = login_throttle.failures + 1, last_failure_at = excluded.last_failure_at
                        RETURNING failures""")
                .params(key, Timestamp.from(now))
                .query(Integer.class)
                .single();
        Instant until = failures >= LOCKOUT_FAILURES && key.startsWith("account:")
                ? Instant.parse("9999-12-31T00:00:00Z")
                : failures >= FREE_FAILURES ? now.plus(delay(failures)) : null;
        if (until != null) {
            jdbc.sql("UPDATE login_throttle SET blocked_until = ? WHERE throttle_key = ?")
                    .params(Timestamp.from(until), key)
                    .update();
        }
        return failures;
    }

    static Duration delay(int failures) {
        int exponent = Math.min(failures - FREE_FAILURES, 20);
        Duration d = Duration.ofSeconds(1L << exponent);
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
    }

    void succeed(String key) {
        jdbc.sql("DELETE FROM login_throttle WHERE throttle_key = ?").param(key).update();
    }
}
