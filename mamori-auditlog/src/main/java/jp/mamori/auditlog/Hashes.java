package jp.mamori.auditlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** RFC 9162 §2.1.1 hashing with SHA-256: leaves are prefixed with 0x00, interior nodes with 0x01. */
public final class Hashes {

    /** Length of every hash in the log, in bytes. */
    public static final int SIZE = 32;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Hashes::newSha256);

    private Hashes() {}

    /** The root of the empty tree: SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /** {@code SHA-256(0x00 || data)}. */
    public static byte[] leafHash(byte[] data) {
        return leafHash(data, 0, data.length);
    }

    /** {@code SHA-256(0x00 || data[offset..offset+length))}. */
    public static byte[] leafHash(byte[] data, int offset, int length) {
        MessageDigest md = sha256();
        md.update((byte) 0);
        md.update(data, offset, length);
        return md.digest();
    }

    /** {@code SHA-256(0x01 || left || right)}. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest md = sha256();
        md.update((byte) 1);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    static MessageDigest sha256() {
        MessageDigest md = SHA256.get();
        md.reset();
        return md;
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Standard base64 (RFC 4648 §4), the encoding used for hashes in every text format of the log. */
    public static String toBase64(byte[] hash) {
        return Base64.getEncoder().encodeToString(hash);
    }

    /** Decodes a base64 hash; rejects anything that is not exactly 32 bytes. */
    public static byte[] fromBase64(String text) {
        byte[] hash;
        try {
            hash = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64: \"" + text + "\"", e);
        }
        if (hash.length != SIZE) {
            throw new IllegalArgumentException(
                    "a hash is 32 bytes, this one has " + hash.length + ": \"" + text + "\"");
        }
        return hash;
    }

    static boolean equal(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
