package jp.mamori.backup.repository;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Sealing and opening with AES-256-GCM, and keyed blob IDs with HMAC-SHA-256. A sealed box is
 * {@code nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)} with a random nonce for every box — plain
 * GCM, which any implementation opens.
 *
 * <p>GCM runs through Conscrypt (BoringSSL) where its native library loads, and through the JDK
 * otherwise. The JDK 17 GCM only becomes fast once the JIT has compiled its inner loops, which in a
 * backup on two busy cores took most of the run, and it holds decryption back until {@code doFinal}
 * where that never happens; see {@link #openWithJdk} for how the fallback copes.
 */
public final class Crypto {

    public static final int NONCE = 12;
    public static final int TAG = 16;
    /** What sealing adds to a plaintext. */
    public static final int OVERHEAD = NONCE + TAG;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final @Nullable Provider NATIVE = nativeProvider();
    /** JDK cipher calls are made in pieces of this size, so its AES intrinsics engage early. */
    private static final int PIECE = 16 * 1024;

    private static @Nullable Provider nativeProvider() {
        if (Boolean.getBoolean("mamori.backup.jdk-crypto")) {
            return null;
        }
        try {
            if (org.conscrypt.Conscrypt.isAvailable()) {
                return org.conscrypt.Conscrypt.newProvider();
            }
        } catch (Throwable e) {
            // no native library for this platform: the JDK's GCM serves
        }
        return null;
    }

    /** Which implementation seals and opens, for the record. */
    public static String implementation() {
        return NATIVE != null ? "AES-256-GCM (Conscrypt/BoringSSL)" : "AES-256-GCM (JDK)";
    }

    private final SecretKeySpec encryptionKey;
    private final ThreadLocal<Mac> macs;

    public Crypto(byte[] encryptionKey, byte[] idKey) {
        if (encryptionKey.length != 32 || idKey.length != 32) {
            throw new IllegalArgumentException("keys must be 32 bytes");
        }
        this.encryptionKey = new SecretKeySpec(encryptionKey, "AES");
        SecretKeySpec hmacKey = new SecretKeySpec(idKey, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(hmacKey);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA-256 is not available in this JDK", e);
            }
        });
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
        return seal(encryptionKey, plain, 0, plain.length);
    }

    public byte[] seal(byte[] plain, int offset, int length) {
        return seal(encryptionKey, plain, offset, length);
    }

    /**
     * Opens a sealed box.
     *
     * @param what names the object in the error, such as {@code pack 3fa9…, blob at 1024}
     * @throws CorruptObjectException if the box is too short or was altered
     */
    public byte[] open(byte[] box, int offset, int length, String what) throws CorruptObjectException {
        return open(encryptionKey, box, offset, length, what);
    }

    public byte[] open(byte[] box, String what) throws CorruptObjectException {
        return open(box, 0, box.length, what);
    }

    static byte[] seal(SecretKeySpec key, byte[] plain, int offset, int length) {
        return seal(key, plain, offset, length, NATIVE != null);
    }

    static byte[] seal(SecretKeySpec key, byte[] plain, int offset, int length, boolean nativeGcm) {
        byte[] out = new byte[NONCE + length + TAG];
        byte[] nonce = random(NONCE);
        System.arraycopy(nonce, 0, out, 0, NONCE);
        try {
            Cipher c = (nativeGcm ? NATIVE_GCM : JDK_GCM).get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            if (nativeGcm) {
                c.doFinal(plain, offset, length, out, NONCE);
            } else {
                int o = NONCE;
                for (int p = 0; p < length; p += PIECE) {
                    o += c.update(plain, offset + p, Math.min(PIECE, length - p), out, o);
                }
                c.doFinal(out, o);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
        return out;
    }

    static boolean nativeAvailable() {
        return NATIVE != null;
    }

    static byte[] open(SecretKeySpec key, byte[] box, int offset, int length, String what)
            throws CorruptObjectException {
        return open(key, box, offset, length, what, NATIVE != null);
    }

    static byte[] open(SecretKeySpec key, byte[] box, int offset, int length, String what, boolean nativeGcm)
            throws CorruptObjectException {
        if (length < OVERHEAD) {
            throw new CorruptObjectException(what + ": " + length + " bytes is too short to be a sealed box");
        }
        try {
            if (!nativeGcm) {
                return openWithJdk(key, box, offset, length, what);
            }
            Cipher c = NATIVE_GCM.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, box, offset, NONCE));
            byte[] plain = new byte[length - OVERHEAD];
            c.doFinal(box, offset + NONCE, length - NONCE, plain, 0);
            return plain;
        } catch (AEADBadTagException e) {
            throw altered(what);
        } catch (GeneralSecurityException e) {
            throw new CorruptObjectException(what + ": cannot be decrypted (" + e.getMessage() + ")");
        }
    }

    /**
     * Opens a box with the JDK in two fast passes that give the same result as GCM decryption:
     * AES-CTR from GCM's first data counter ({@code nonce ‖ 00000002}) recovers the plaintext, and
     * sealing that plaintext again under the same nonce recomputes the tag, which must equal the
     * stored one. The plaintext is returned only when it does; nothing new is encrypted or revealed,
     * since the recomputation reproduces exactly the stored ciphertext.
     */
    private static byte[] openWithJdk(SecretKeySpec key, byte[] box, int offset, int length, String what)
            throws GeneralSecurityException, CorruptObjectException {
        int n = length - OVERHEAD;
        byte[] plain = new byte[n];
        byte[] counter = new byte[16];
        System.arraycopy(box, offset, counter, 0, NONCE);
        counter[15] = 2;
        Cipher ctr = JDK_CTR.get();
        ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
        int o = 0;
        for (int p = 0; p < n; p += PIECE) {
            o += ctr.update(box, offset + NONCE + p, Math.min(PIECE, n - p), plain, o);
        }
        Cipher gcm = JDK_VERIFY.get();
        GCMParameterSpec spec = new GCMParameterSpec(TAG * 8, box, offset, NONCE);
        try {
            gcm.init(Cipher.ENCRYPT_MODE, key, spec);
        } catch (InvalidAlgorithmParameterException sameNonceAsLastTime) {
            // The JDK refuses two encryptions in a row under one nonce; step over it with a throwaway one.
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, random(NONCE)));
            gcm.init(Cipher.ENCRYPT_MODE, key, spec);
        }
        byte[] scratch = SCRATCH.get();
        for (int p = 0; p < n; p += PIECE) {
            gcm.update(plain, p, Math.min(PIECE, n - p), scratch, 0);
        }
        int last = gcm.doFinal(scratch, 0);
        byte[] tag = Arrays.copyOfRange(scratch, last - TAG, last);
        if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(box, offset + NONCE + n, offset + length))) {
            throw altered(what);
        }
        return plain;
    }

    private static CorruptObjectException altered(String what) {
        return new CorruptObjectException(what + ": authentication failed — the data was altered or damaged");
    }

    private static final ThreadLocal<Cipher> NATIVE_GCM =
            ThreadLocal.withInitial(() -> cipher("AES/GCM/NoPadding", NATIVE));
    private static final ThreadLocal<Cipher> JDK_GCM = ThreadLocal.withInitial(() -> cipher("AES/GCM/NoPadding", null));
    private static final ThreadLocal<Cipher> JDK_VERIFY =
            ThreadLocal.withInitial(() -> cipher("AES/GCM/NoPadding", null));
    private static final ThreadLocal<Cipher> JDK_CTR = ThreadLocal.withInitial(() -> cipher("AES/CTR/NoPadding", null));
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[PIECE + 2 * TAG]);

    private static Cipher cipher(String transformation, @Nullable Provider provider) {
        try {
            return provider == null ? Cipher.getInstance(transformation) : Cipher.getInstance(transformation, provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " is not available", e);
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
