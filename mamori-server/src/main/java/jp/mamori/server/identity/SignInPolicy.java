package jp.mamori.server.identity;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;

/** The per-role factor policy, for other modules that let users in (the OpenID Connect provider). */
public interface SignInPolicy {

    /** The sign-in carries every factor the account's roles demand. */
    boolean satisfied(@Nullable Authentication authentication);

    /** Signed in with a first factor but still short of what the policy needs. */
    boolean needsMoreFactors(@Nullable Authentication authentication);
}
