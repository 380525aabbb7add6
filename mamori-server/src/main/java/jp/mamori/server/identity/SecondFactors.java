package jp.mamori.server.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.platform.SecretSealer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * TOTP and recovery codes of an account: enrolment, confirmation, checking (a code is accepted
 * once only) and removal.
 */
@Service
class SecondFactors {

    private static final String TOTP_PURPOSE = "totp-secret";
    static final int RECOVERY_CODES = 10;
    private static final char[] CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

    private final JdbcClient jdbc;
    private final SecretSealer sealer;
    private final SecurityEvents events;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    SecondFactors(JdbcClient jdbc, SecretSealer sealer, SecurityEvents events, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.events = events;
        this.clock = clock;
    }

    boolean hasTotp(long accountId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM totp_credential WHERE account_id = ? AND confirmed)")
                .param(accountId)
                .query(Boolean.class)
                .single();
    }

    /** Starts (or restarts) TOTP enrolment; the secret counts only once a code from it is confirmed. */
    @Transactional
    byte[] beginTotp(long accountId) {
        byte[] secret = Totp.newSecret();
        jdbc.sql(
                        """
                        INSERT INTO totp_credential (account_id, secret_sealed, confirmed) VALUES (?, ?, false)
                        ON CONFLICT (account_id) DO UPDATE SET secret_sealed = excluded.secret_sealed,
                            confirmed = false, last_used_step = 0, enrolled_at = now()""")
                .params(accountId, sealer.seal(secret, TOTP_PURPOSE))
                .update();
        return secret;
    }

    /** Stores a confirmed secret directly (demo seeding and the administrator's enrolment). */
    @Transactional
    void enrolConfirmed(long accountId, byte[] secret) {
        jdbc.sql(
                        """
                        INSERT INTO totp_credential (account_id, secret_sealed, confirmed) VALUES (?, ?, true)
                        ON CONFLICT (account_id) DO UPDATE SET secret_sealed = excluded.secret_sealed,
                            confirmed = true, last_used_step = 0, enrolled_at = now()""")
                .params(accountId, sealer.seal(secret, TOTP_PURPOSE))
                .update();
    }

    @Transactional
    boolean confirmTotp(Account account, String code) {
        if (!check(account.id(), code, false)) {
            return false;
        }
        jdbc.sql("UPDATE totp_credential SET confirmed = true WHERE account_id = ?")
                .param(account.id())
                .update();
        events.record(SecurityEvent.success(SecurityEventType.FACTOR_ENROLLED)
                .account(account.id(), account.loginId())
                .detail("factor", "totp")
                .build());
        return true;
    }

    /** True when the code is right for a step not used before; the step is then spent. */
    boolean verifyTotp(long accountId, String code) {
        return check(accountId, code, true);
    }

    private boolean check(long accountId, String code, boolean confirmedOnly) {
        var row = jdbc.sql("SELECT secret_sealed, confirmed FROM totp_credential WHERE account_id = ?")
                .param(accountId)
                .query((rs, n) -> new Object[] {rs.getBytes(1), rs.getBoolean(2)})
                .optional();
        if (row.isEmpty() || (confirmedOnly && !(Boolean) row.get()[1])) {
            return false;
        }
        byte[] secret = sealer.open((byte[]) row.get()[0], TOTP_PURPOSE);
        OptionalLong step = Totp.matchingStep(secret, code.strip(), clock.instant());
        if (step.isEmpty()) {
            return false;
        }
        // Spend the step atomically: a second use of the same or an older code finds no row to update.
        return jdbc.sql("UPDATE totp_credential SET last_used_step = ? WHERE account_id = ? AND last_used_step < ?")
                        .params(step.getAsLong(), accountId, step.getAsLong())
                        .update()
                == 1;
    }

    @Transactional
    void removeTotp(Account account, String by) {
        jdbc.sql("DELETE FROM totp_credential WHERE account_id = ?")
                .param(account.id())
                .update();
        events.record(SecurityEvent.success(SecurityEventType.FACTOR_REMOVED)
                .account(account.id(), account.loginId())
                .detail("factor", "totp")
                .detail("by", by)
                .build());
    }

    /** New recovery codes replace the old ones; only their hashes are kept. */
    @Transactional
    List<String> newRecoveryCodes(Account account) {
        jdbc.sql("DELETE FROM recovery_code WHERE account_id = ?")
                .param(account.id())
                .update();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < 10; j++) {
                if (j == 5) {
                    b.append('-');
                }
                b.append(CODE_ALPHABET[random.nextInt(CODE_ALPHABET.length)]);
            }
            codes.add(b.toString());
            jdbc.sql("INSERT INTO recovery_code (account_id, code_hash) VALUES (?, ?)")
                    .params(account.id(), PasswordService.ARGON2ID.encode(b.toString()))
                    .update();
        }
        events.record(SecurityEvent.success(SecurityEventType.FACTOR_ENROLLED)
                .account(account.id(), account.loginId())
                .detail("factor", "recovery_codes")
                .build());
        return codes;
    }

    int unusedRecoveryCodes(long accountId) {
        return jdbc.sql("SELECT count(*) FROM recovery_code WHERE account_id = ? AND used_at IS NULL")
                .param(accountId)
                .query(Integer.class)
                .single();
    }

    /** True when the code is one of the account's unused recovery codes; it is then used up. */
    @Transactional
    boolean useRecoveryCode(long accountId, String code) {
        String normalized = code.strip().toLowerCase(Locale.ROOT);
        var rows = jdbc.sql("SELECT id, code_hash FROM recovery_code WHERE account_id = ? AND used_at IS NULL")
                .param(accountId)
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)})
                .list();
        for (Object[] r : rows) {
            if (PasswordService.ARGON2ID.matches(normalized, (String) r[1])) {
                return jdbc.sql("UPDATE recovery_code SET used_at = now() WHERE id = ? AND used_at IS NULL")
                                .param(r[0])
                                .update()
                        == 1;
            }
        }
        return false;
    }
}
