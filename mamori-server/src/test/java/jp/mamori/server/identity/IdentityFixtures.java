package jp.mamori.server.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Creates synthetic accounts for tests of any module. Names are generated, passwords and TOTP
 * seeds random per run; nothing here resembles a real person.
 */
@Component
public class IdentityFixtures {

    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 100000);
    private final AccountStore accounts;
    private final PasswordService passwords;
    private final SecondFactors factors;
    private final Clock clock;

    IdentityFixtures(AccountStore accounts, PasswordService passwords, SecondFactors factors, Clock clock) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.factors = factors;
        this.clock = clock;
    }

    /** A test account with a password and a confirmed TOTP secret. */
    public record TestUser(long id, String loginId, String password, byte[] totpSecret) {
        /** The TOTP code for now (or for the step {@code offset} steps away). */
        public String totp(int offset) {
            return Totp.code(totpSecret, Totp.step(Instant.now()) + offset);
        }

        public String totp() {
            return totp(0);
        }
    }

    public TestUser user(String prefix, JobType job, String... roles) {
        String loginId = prefix + "-" + SEQ.incrementAndGet();
        long id = accounts.create(
                new AccountStore.NewAccount(loginId, "試験 " + loginId, AccountKind.STAFF, job, null, null, null));
        accounts.setRoles(id, Set.of(roles));
        String password = "Tq!" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "#x9";
        accounts.setPassword(id, passwords.hash(password));
        byte[] secret = Totp.newSecret();
        factors.enrolConfirmed(id, secret);
        return new TestUser(id, loginId, password, secret);
    }

    public TestUser administrator() {
        return user("admin", JobType.IT, "SYSTEM_ADMIN");
    }

    /** Codes for the step after the one the user last used, so that no test replays a code by accident. */
    public static String nextCode(TestUser user, Instant now) {
        return Totp.code(user.totpSecret(), Totp.step(now));
    }

    Clock clock() {
        return clock;
    }
}
