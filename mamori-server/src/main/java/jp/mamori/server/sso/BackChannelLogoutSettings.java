package jp.mamori.server.sso;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How back-channel logouts that failed are retried: after {@code firstDelay}, then each delay
 * twice the one before, up to {@code maxDelay}, until {@code attempts} attempts (the first one
 * included) have failed. With the defaults the last attempt is made about an hour after the first.
 *
 * @param attempts attempts in all before a delivery is given up as failed
 * @param firstDelay the wait after the first failed attempt
 * @param maxDelay the longest wait between two attempts
 * @param checkEvery how often the server looks for deliveries that are due
 */
@ConfigurationProperties("mamori.sso.backchannel-logout")
record BackChannelLogoutSettings(
        @DefaultValue("8") int attempts,
        @DefaultValue("30s") Duration firstDelay,
        @DefaultValue("30m") Duration maxDelay,
        @DefaultValue("10s") Duration checkEvery) {

    BackChannelLogoutSettings {
        if (attempts < 1) {
            throw new IllegalArgumentException(
                    "mamori.sso.backchannel-logout.attempts must be at least 1, not " + attempts);
        }
    }

    /** The wait after the {@code failed}-th failed attempt (1 for the first). */
    Duration delayAfter(int failed) {
        Duration delay = firstDelay;
        for (int i = 1; i < failed && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
