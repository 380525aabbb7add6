package jp.mamori.server.identity;

import java.util.List;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Hashes and checks passwords (Argon2id) and applies the password rules, including that none of
 * the last {@value #HISTORY} passwords comes back.
 */
@Service
class PasswordService {

    static final int HISTORY = 5;

    /**
     * Argon2id with 19 MiB of memory, 2 passes and 1 lane: OWASP's minimum. Spring's own defaults
     * (16 MiB) are below it.
     */
    static final PasswordEncoder ARGON2ID = new Argon2idPasswords(true);

    private final PasswordPolicy policy;
    private final AccountStore accounts;
    private final String dummyHash;

    PasswordService(PasswordPolicy policy, AccountStore accounts) {
        this.policy = policy;
        this.accounts = accounts;
        this.dummyHash = ARGON2ID.encode("not a password of anyone " + System.nanoTime());
    }

    String hash(String raw) {
        return ARGON2ID.encode(raw);
    }

    boolean matches(String raw, String hash) {
        return ARGON2ID.matches(raw, hash);
    }

    /** Spends the time of one check, so that an unknown account answers as slowly as a known one. */
    void spendCheckTime(String raw) {
        ARGON2ID.matches(raw, dummyHash);
    }

    /** Rule violations as message keys, including reuse; empty when acceptable. */
    List<String> violations(String raw, PasswordPolicy.Subject subject, long accountId) {
        List<String> out = new java.util.ArrayList<>(policy.violations(raw, subject));
        if (out.isEmpty()) {
            for (String old : accounts.passwordHistory(accountId, HISTORY)) {
                if (ARGON2ID.matches(raw, old)) {
                    out.add("password.rule.reused");
                    break;
                }
            }
        }
        return out;
    }

    /** Sets the password after checking every rule; throws with the violated rules otherwise. */
    void change(Account account, String raw, boolean secondFactor) {
        PasswordPolicy.Subject subject =
                new PasswordPolicy.Subject(account.loginId(), account.displayName(), account.birthDate(), secondFactor);
        List<String> v = violations(raw, subject, account.id());
        if (!v.isEmpty()) {
            throw new PasswordRejected(v);
        }
        accounts.setPassword(account.id(), hash(raw));
    }

    /** The password breaks the rules listed as message keys. */
    static final class PasswordRejected extends RuntimeException {
        private final List<String> rules;

        PasswordRejected(List<String> rules) {
            super("The password breaks these rules: " + rules);
            this.rules = List.copyOf(rules);
        }

        List<String> rules() {
            return rules;
        }
    }
}
