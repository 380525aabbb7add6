package jp.mamori.server.identity;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What other modules may know of the accounts without reaching into them: counts and short lists
 * that the governance module turns into proposals for the checklist. Read-only.
 */
public interface AccountFacts {

    /** An account named in a fact, with no credential of any kind. */
    record AccountRef(long id, String loginId, String displayName, AccountKind kind, @Nullable Instant lastLoginAt) {}

    /**
     * Active staff and vendor accounts that have not signed in since {@code cutoff} (never signed in
     * and created before it counts as not signed in).
     */
    List<AccountRef> dormantSince(Instant cutoff);

    /** Accounts past their expiry date whose status is still active: vendors, mostly. */
    List<AccountRef> expiredButEnabled(Instant now);

    /**
     * Share of active people (staff and vendor accounts; system accounts are not people) who hold a
     * confirmed second factor: TOTP or an IC card that is not revoked.
     */
    SecondFactorCoverage secondFactorCoverage();

    record SecondFactorCoverage(int people, int withSecondFactor) {
        /** Whole percent, rounded down; 0 when there is nobody. */
        public int percent() {
            return people == 0 ? 0 : withSecondFactor * 100 / people;
        }
    }

    /**
     * The roles and permissions matrix (職種・情報区分ごとのアクセス権限): how many roles exist, how many
     * grant something on an information category, and who holds administrator rights.
     */
    AccessMatrix accessMatrix();

    record AccessMatrix(int roles, int rolesWithPermissions, int permissionEntries, List<AccountRef> administrators) {}

    /**
     * Every account as it stands now, for the periodic account review (アカウント棚卸し) of checklist
     * items 2-④ and 2-⑤: staff, vendor and system accounts, enabled or not. No credential of any kind.
     */
    List<AccountSnapshot> allAccounts();

    /**
     * One account for the account review.
     *
     * @param jobType 職種
     * @param department the department's Japanese name, if the account belongs to one
     * @param roles the Japanese names of its roles
     * @param administrator one of its roles grants administrator rights
     * @param status ACTIVE, DISABLED or RETIRED
     * @param statusChangedAt when it was last disabled, retired or enabled again
     * @param secondFactors the confirmed second factors it holds: TOTP, IC_CARD, PASSKEY
     */
    record AccountSnapshot(
            long id,
            String loginId,
            String displayName,
            JobType jobType,
            @Nullable String department,
            List<String> roles,
            boolean administrator,
            AccountKind kind,
            String status,
            @Nullable Instant statusChangedAt,
            @Nullable Instant expiresAt,
            Instant createdAt,
            @Nullable Instant lastLoginAt,
            List<String> secondFactors) {

        public boolean enabled() {
            return "ACTIVE".equals(status);
        }
    }

    /** The password rules in force, as the identity module enforces them. */
    PasswordRules passwordRules();

    /**
     * @param minLengthSingleFactor minimum length when the password is the only factor
     * @param minLengthWithSecondFactor minimum length with a second factor
     * @param mixRequired letters, digits and symbols must be mixed
     * @param guessableRefused names, birthdays and common passwords are refused
     * @param reuseBlockedLast how many earlier passwords may not come back
     */
    record PasswordRules(
            int minLengthSingleFactor,
            int minLengthWithSecondFactor,
            boolean mixRequired,
            boolean guessableRefused,
            int reuseBlockedLast) {}

    /**
     * Every vendor engineer's account (kind or job type VENDOR), retired ones included, so that the
     * vendor register can show whose accounts a company holds and until when.
     */
    List<VendorAccount> vendorAccounts();

    /** A vendor engineer's account as the vendor register shows it; no credential of any kind. */
    record VendorAccount(
            long id,
            String loginId,
            String displayName,
            boolean active,
            @Nullable Instant expiresAt,
            @Nullable Instant lastLoginAt) {}
}
