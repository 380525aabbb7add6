package jp.mamori.server.identity;

import java.io.Serializable;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * Who is signed in: the principal of every Mamori authentication.
 *
 * @param secondFactorRequired whether the account's roles demand two factors
 * @param terminalId the registered terminal the sign-in happened on, if any
 */
public record MamoriPrincipal(
        long accountId,
        String loginId,
        String displayName,
        JobType jobType,
        Set<String> roles,
        boolean administrator,
        boolean secondFactorRequired,
        @Nullable Long terminalId,
        @Nullable String terminalName)
        implements AuthenticatedPrincipal, Serializable {

    public MamoriPrincipal {
        roles = Set.copyOf(roles);
    }

    @Override
    public String getName() {
        return loginId;
    }

    MamoriPrincipal onTerminal(@Nullable Long id, @Nullable String name) {
        return new MamoriPrincipal(
                accountId, loginId, displayName, jobType, roles, administrator, secondFactorRequired, id, name);
    }
}
