package jp.mamori.backup.repository;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sealing and opening with AES-256-GCM, and keyed blob IDs with HMAC-SHA-256. A sealed box is
 * {@code nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)} with a random nonce for every box. Cipher
 * and Mac objects are kept per thread, because the pipeline seals on every core at once.
 */
public final class Crypto {

    public static final int NONCE = 12;
    public static final int TAG = 16;
    /** What sealing adds to a plaintext. */
    public static final int OVERHEAD = NONCE + TAG;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec idKey;
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(Crypto::newCipher);
    private final ThreadLocal<Mac> macs;

    public Crypto(byte[] encryptionKey, byte[] idKey) {
        if (encryptionKey.length != 32 || idKey.length != 32) {
            throw new IllegalArgumentException("keys must be 32 bytes");
        }
        this.encryptionKey = new SecretKeySpec(encryptionKey, "AES");
        this.idKey = new SecretKeySpec(idKey, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(this.idKey);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA-256 is not available in this JDK", e);
            }
        });
    }

    static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /** The keyed ID of a blob's plaintext: HMAC-SHA-256 under the repository's ID key. */
    public byte[] id(byte[] data, int offset, int length) {
        Mac mac = macs.get();
        mac.update(data, offset, length);
        return mac.doFinal();
    }

    public byte[] id(byte[] data) {
        return id(data, 0, data.length);
    }

    public byte[] seal(byte[] plain) {
        return seal(plain, 0, plain.length);
    }

    public byte[] seal(byte[] plain, int offset, int length) {
        return seal(encryptionKey, ciphers.get(), plain, offset, length);
    }

    static byte[] seal(SecretKeySpec key, Cipher c, byte[] plain, int offset, int length) {
        byte[] out = new byte[NONCE + length + TAG];
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, 0, NONCE);
        try {
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            c.doFinal(plain, offset, length, out, NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
        return out;
    }

    /**
     * Opens a sealed box.
     *
     * @param what names the object in the error, such as {@code pack 3fa9…, blob at 1024}
     * @throws CorruptObjectException if the box is too short or was altered
     */
    public byte[] open(byte[] box, int offset, int length, String what) throws CorruptObjectException {
        return open(encryptionKey, ciphers.get(), box, offset, length, what);
    }

    public byte[] open(byte[] box, String what) throws CorruptObjectException {
        return open(box, 0, box.length, what);
    }

    static byte[] open(SecretKeySpec key, Cipher c, byte[] box, int offset, int length, String what)
            throws CorruptObjectException {
        if (length < OVERHEAD) {
            throw new CorruptObjectException(what + ": " + length + " bytes is too short to be a sealed box");
        }
        try {
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, box, offset, NONCE));
            return c.doFinal(box, offset + NONCE, length - NONCE);
        } catch (AEADBadTagException e) {
            throw new CorruptObjectException(what + ": authentication failed — the data was altered or damaged");
        } catch (GeneralSecurityException e) {
            throw new CorruptObjectException(what + ": cannot be decrypted (" + e.getMessage() + ")");
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Data that fails its authentication tag, hash or structure check; the message names the object. */
    public static final class CorruptObjectException extends java.io.IOException {
        public CorruptObjectException(String message) {
            super(message);
        }
    }
}
