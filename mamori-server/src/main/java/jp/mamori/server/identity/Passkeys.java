package jp.mamori.server.identity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The passkeys registered to an account, as the account page and the administrator see them, and
 * their removal. Registration and sign-in go through Spring Security's WebAuthn filters; the rows
 * are theirs, tied to an account by the user entity's name, which is the login ID.
 */
@Service
class Passkeys {

    private final JdbcClient jdbc;
    private final SecurityEvents events;

    Passkeys(JdbcClient jdbc, SecurityEvents events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /**
     * One passkey as a person sees it.
     *
     * @param credentialId the credential ID, base64url as the browser reports it
     */
    record Passkey(
            String credentialId,
            String label,
            @Nullable Instant created,
            @Nullable Instant lastUsed,
            long signatureCount) {}

    List<Passkey> of(String loginId) {
        return jdbc.sql(
                        """
                        SELECT c.credential_id, c.label, c.created, c.last_used, c.signature_count
                        FROM user_credentials c JOIN user_entities u ON u.id = c.user_entity_user_id
                        WHERE lower(u.name) = lower(?) ORDER BY c.created, c.credential_id""")
                .param(loginId)
                .query((rs, n) -> {
                    Instant created = instant(rs.getTimestamp(3));
                    Instant lastUsed = instant(rs.getTimestamp(4));
                    // Spring Security sets "last used" to the registration time; that is no use yet.
                    if (created != null && lastUsed != null && !lastUsed.isAfter(created)) {
                        lastUsed = null;
                    }
                    return new Passkey(rs.getString(1), rs.getString(2), created, lastUsed, rs.getLong(5));
                })
                .list();
    }

    int count(String loginId) {
        return jdbc.sql(
                        """
                        SELECT count(*) FROM user_credentials c JOIN user_entities u ON u.id = c.user_entity_user_id
                        WHERE lower(u.name) = lower(?)""")
                .param(loginId)
                .query(Integer.class)
                .single();
    }

    /** How many passkeys each login ID (lower case) has; accounts without any are absent. */
    Map<String, Integer> countsByLoginId() {
        Map<String, Integer> counts = new HashMap<>();
        jdbc.sql(
                        """
                        SELECT lower(u.name), count(*) FROM user_credentials c
                        JOIN user_entities u ON u.id = c.user_entity_user_id GROUP BY lower(u.name)""")
                .query(rs -> {
                    counts.put(rs.getString(1), rs.getInt(2));
                });
        return counts;
    }

    /** The login ID a credential belongs to, if the credential is registered at all. */
    Optional<String> ownerOf(String credentialId) {
        return jdbc.sql(
                        """
                        SELECT u.name FROM user_credentials c JOIN user_entities u ON u.id = c.user_entity_user_id
                        WHERE c.credential_id = ?""")
                .param(credentialId)
                .query(String.class)
                .optional();
    }

    /** The holder removes one of their own passkeys; false when it is not theirs or already gone. */
    @Transactional
    boolean removeOwn(MamoriPrincipal me, String credentialId) {
        Optional<String> label = delete(me.loginId(), credentialId);
        label.ifPresent(l -> events.record(SecurityEvent.success(SecurityEventType.FACTOR_REMOVED)
                .account(me.accountId(), me.loginId())
                .detail("factor", "passkey")
                .detail("label", l)
                .detail("by", me.loginId())
                .build()));
        return label.isPresent();
    }

    /**
     * An administrator removes passkeys of an account (a lost or replaced phone): one, or all when
     * {@code credentialId} is null. Returns how many were removed.
     */
    @Transactional
    int removeByAdministrator(MamoriPrincipal by, Account account, @Nullable String credentialId, String reason) {
        if (reason.isBlank()) {
            throw new IllegalArgumentException("passkeys.reasonRequired");
        }
        List<String> labels;
        if (credentialId == null || credentialId.isBlank()) {
            labels = jdbc.sql(
                            """
                            DELETE FROM user_credentials WHERE user_entity_user_id IN
                                (SELECT id FROM user_entities WHERE lower(name) = lower(?))
                            RETURNING label""")
                    .param(account.loginId())
                    .query(String.class)
                    .list();
        } else {
            labels = delete(account.loginId(), credentialId).stream().toList();
        }
        for (String label : labels) {
            events.record(SecurityEvent.success(SecurityEventType.FACTOR_REMOVED)
                    .account(account.id(), account.loginId())
                    .detail("factor", "passkey")
                    .detail("label", label)
                    .detail("by", by.loginId())
                    .detail("reason", reason.strip())
                    .build());
        }
        return labels.size();
    }

    private Optional<String> delete(String loginId, String credentialId) {
        return jdbc.sql(
                        """
                        DELETE FROM user_credentials WHERE credential_id = ? AND user_entity_user_id IN
                            (SELECT id FROM user_entities WHERE lower(name) = lower(?))
                        RETURNING label""")
                .params(credentialId, loginId)
                .query(String.class)
                .optional();
    }

    private static @Nullable Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
