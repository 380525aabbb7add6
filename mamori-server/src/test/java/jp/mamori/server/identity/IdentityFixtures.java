package jp.mamori.server.identity;

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
    private final TerminalStore terminals;
    private final IcCards cards;

    IdentityFixtures(
            AccountStore accounts,
            PasswordService passwords,
            SecondFactors factors,
            TerminalStore terminals,
            IcCards cards) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.factors = factors;
        this.terminals = terminals;
        this.cards = cards;
    }

    /** A registered shared terminal; returns its id and the credential its browser presents. */
    public record TestTerminal(long id, String name, String credential) {}

    public TestTerminal terminal(int idleLockSeconds) {
        String name = "TEST-TERM-" + SEQ.incrementAndGet();
        var registered = terminals.register(name, "試験病棟", null, true, idleLockSeconds);
        return new TestTerminal(registered.id(), name, registered.credential());
    }

    /** Gives the user an IC card with a random synthetic UID; returns the UID. */
    public String card(TestUser user, String pin) {
        String uid = String.format("%016X", SEQ.incrementAndGet() * 7919L + System.nanoTime());
        cards.enrol(user.id(), uid, IcCards.CardType.FELICA, "試験カード", pin);
        return uid;
    }

    /** Which account the terminal holds as its active user, if any. */
    public Long activeAccountOn(long terminalId) {
        return terminals.byId(terminalId).orElseThrow().activeAccountId();
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

    /** An account that never signs in here (no password, no factor): for filling a directory quickly. */
    public long accountOnly(String prefix, JobType job, String... roles) {
        String loginId = prefix + "-" + SEQ.incrementAndGet();
        long id = accounts.create(
                new AccountStore.NewAccount(loginId, "試験 " + loginId, AccountKind.STAFF, job, null, null, null));
        accounts.setRoles(id, Set.of(roles));
        return id;
    }

    /** A vendor engineer's account with a password, no second factor, and the given expiry. */
    public TestUser vendor(String prefix, Instant expiresAt) {
        String loginId = prefix + "-" + SEQ.incrementAndGet();
        long id = accounts.create(new AccountStore.NewAccount(
                loginId, "試験 " + loginId, AccountKind.VENDOR, JobType.VENDOR, null, null, expiresAt));
        accounts.setRoles(id, Set.of("VENDOR"));
        String password = "Vq!" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "#x9";
        accounts.setPassword(id, passwords.hash(password));
        return new TestUser(id, loginId, password, new byte[0]);
    }

    public TestUser administrator() {
        return user("admin", JobType.IT, "SYSTEM_ADMIN");
    }
}
