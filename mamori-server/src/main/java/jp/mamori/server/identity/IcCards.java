package jp.mamori.server.identity;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jp.mamori.server.platform.SecretSealer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * IC cards (FeliCa IDm or MIFARE UID) and their PINs. A card's UID is no secret — anyone near the
 * card can read it — so a card never signs anyone in without its PIN.
 */
@Repository
class IcCards {

    private static final String PURPOSE = "card-uid";
    private final JdbcClient jdbc;
    private final SecretSealer sealer;

    IcCards(JdbcClient jdbc, SecretSealer sealer) {
        this.jdbc = jdbc;
        this.sealer = sealer;
    }

    enum CardType {
        FELICA,
        MIFARE,
        OTHER
    }

    record Card(long id, long accountId, String label, CardType type, String pinHash) {}

    record CardSummary(long id, String label, CardType type, java.time.Instant enrolledAt) {}

    /** UIDs as readers type them: hex, with or without separators, in either case. */
    static String normalizeUid(String uid) {
        String hex = uid.replaceAll("[\\s:\\-]", "").toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{8,32}")) {
            throw new IllegalArgumentException("A card UID is 8 to 32 hexadecimal digits");
        }
        return hex;
    }

    static void checkPin(String pin) {
        if (!pin.matches("[0-9]{4,8}")) {
            throw new IllegalArgumentException("pin.rule.format");
        }
        if (pin.chars().distinct().count() == 1 || "0123456789".contains(pin) || "9876543210".contains(pin)) {
            throw new IllegalArgumentException("pin.rule.guessable");
        }
    }

    long enrol(long accountId, String uid, CardType type, String label, String pin) {
        checkPin(pin);
        return jdbc.sql(
                        """
                        INSERT INTO ic_card (account_id, uid_digest, card_type, label, pin_hash)
                        VALUES (?, ?, ?, ?, ?) RETURNING id""")
                .params(
                        accountId,
                        sealer.digest(PURPOSE, normalizeUid(uid)),
                        type.name(),
                        label,
                        PasswordService.ARGON2ID.encode(pin))
                .query(Long.class)
                .single();
    }

    Optional<Card> byUid(String uid) {
        String normalized;
        try {
            normalized = normalizeUid(uid);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        return jdbc.sql(
                        """
                        SELECT id, account_id, label, card_type, pin_hash FROM ic_card
                        WHERE uid_digest = ? AND revoked_at IS NULL""")
                .param(sealer.digest(PURPOSE, normalized))
                .query((rs, n) -> new Card(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        CardType.valueOf(rs.getString(4)),
                        rs.getString(5)))
                .optional();
    }

    List<CardSummary> of(long accountId) {
        return jdbc.sql(
                        """
                        SELECT id, label, card_type, enrolled_at FROM ic_card
                        WHERE account_id = ? AND revoked_at IS NULL ORDER BY enrolled_at""")
                .param(accountId)
                .query((rs, n) -> new CardSummary(
                        rs.getLong(1),
                        rs.getString(2),
                        CardType.valueOf(rs.getString(3)),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    void revoke(long cardId) {
        jdbc.sql("UPDATE ic_card SET revoked_at = now() WHERE id = ?")
                .param(cardId)
                .update();
    }
}
