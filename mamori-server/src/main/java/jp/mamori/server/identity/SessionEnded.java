package jp.mamori.server.identity;

import org.jspecify.annotations.Nullable;

/**
 * A user's sign-in ended: they logged out, were displaced on a shared terminal by another user,
 * timed out, or an administrator ended it. Applications that share the sign-in must end theirs too.
 *
 * @param sessionId the Mamori web session that ended
 */
public record SessionEnded(long accountId, String loginId, String sessionId, @Nullable Long terminalId, Reason reason) {

    public enum Reason {
        LOGOUT,
        DISPLACED,
        EXPIRED,
        ADMINISTRATOR
    }
}
