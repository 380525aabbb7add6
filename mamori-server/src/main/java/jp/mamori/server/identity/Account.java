package jp.mamori.server.identity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** An account as the identity module stores it. */
record Account(
        long id,
        String loginId,
        String displayName,
        AccountKind kind,
        JobType jobType,
        @Nullable Long departmentId,
        @Nullable LocalDate birthDate,
        Status status,
        @Nullable String statusReason,
        @Nullable Instant expiresAt,
        @Nullable String passwordHash,
        @Nullable Instant lastLoginAt,
        boolean adminLocked,
        Set<String> roles,
        boolean administrator,
        FactorPolicy factorPolicy) {

    enum Status {
        ACTIVE,
        DISABLED,
        RETIRED
    }

    /** PASSWORD: one factor suffices (only with a 13+ character password); TWO_FACTOR: two are needed. */
    enum FactorPolicy {
        PASSWORD,
        TWO_FACTOR
    }

    /** Whether the account may sign in at all at the given time, apart from its credentials. */
    boolean usableAt(Instant now) {
        return status == Status.ACTIVE && !adminLocked && (expiresAt == null || now.isBefore(expiresAt));
    }

    MamoriPrincipal principal() {
        return new MamoriPrincipal(
                id,
                loginId,
                displayName,
                jobType,
                roles,
                administrator,
                factorPolicy == FactorPolicy.TWO_FACTOR,
                null,
                null);
    }
}
