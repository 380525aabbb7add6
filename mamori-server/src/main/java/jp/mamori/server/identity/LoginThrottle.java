package jp.mamori.server.identity;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins per login ID and per source address. Past the free failures, each further
 * attempt waits twice as long as the last (up to 15 minutes); at {@value #LOCKOUT_FAILURES} failures
 * on one login ID the account is locked until an administrator unlocks it. Keys are login IDs as
 * typed, so that an unknown ID behaves exactly like a known one. Failures older than the window are
 * forgotten, except a lockout.
 */
@Component
class LoginThrottle {

    static final int FREE_FAILURES = 3;
    /** Many people share one address behind a ward's router, so an address gets more room. */
    static final int FREE_FAILURES_PER_SOURCE = 30;

    static final int LOCKOUT_FAILURES = 10;
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    static final Duration WINDOW = Duration.ofMinutes(30);
    private static final Instant LOCKED = Instant.parse("9999-12-31T00:00:00Z");

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
                        ON CONFLICT (throttle_key) DO UPDATE SET
                            failures = CASE WHEN login_throttle.last_failure_at < ?
                                                 AND coalesce(login_throttle.blocked_until, 'epoch') < ?
                                            THEN 1 ELSE login_throttle.failures + 1 END,
                            last_failure_at = excluded.last_failure_at
                        RETURNING failures""")
                .params(key, Timestamp.from(now), Timestamp.from(now.minus(WINDOW)), Timestamp.from(LOCKED))
                .query(Integer.class)
                .single();
        int free = key.startsWith("source:") ? FREE_FAILURES_PER_SOURCE : FREE_FAILURES;
        Instant until = null;
        if (failures >= LOCKOUT_FAILURES && key.startsWith("account:")) {
            until = LOCKED;
        } else if (failures >= free) {
            until = now.plus(delay(failures - free));
        }
        if (until != null) {
            jdbc.sql("UPDATE login_throttle SET blocked_until = ? WHERE throttle_key = ?")
                    .params(Timestamp.from(until), key)
                    .update();
        }
        return failures;
    }

    /** One second after the first failure past the free ones, doubling each time, at most 15 minutes. */
    static Duration delay(int pastFree) {
        Duration d = Duration.ofSeconds(1L << Math.min(pastFree, 20));
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
    }

    void succeed(String key) {
        jdbc.sql("DELETE FROM login_throttle WHERE throttle_key = ?").param(key).update();
    }

    /** An administrator's unlock clears the count, so the next failure starts afresh. */
    void clear(String loginId) {
        succeed(accountKey(loginId));
    }
}
