package jp.mamori.server.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * System accounts' passwords already verified against a stored hash, so that HTTP Basic on every
 * API request does not cost a full password hash each time (on the batch API it cost as much as
 * storing the batch). Kept only in memory, as an HMAC under a key made at start over the stored hash
 * and the password, never the password itself. A changed password has a new stored hash and misses;
 * a wrong one always misses and takes the full, constant-time check.
 */
final class MachineSignIns {

    private static final int MAX = 1024;
    private final byte[] key = new byte[32];
    private final ConcurrentHashMap<String, Boolean> verified = new ConcurrentHashMap<>();

    MachineSignIns() {
        new SecureRandom().nextBytes(key);
    }

    boolean verifiedBefore(String storedHash, String password) {
        return verified.containsKey(tag(storedHash, password));
    }

    void remember(String storedHash, String password) {
        if (verified.size() >= MAX) {
            verified.clear();
        }
        verified.put(tag(storedHash, password), Boolean.TRUE);
    }

    private String tag(String storedHash, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return java.util.HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
