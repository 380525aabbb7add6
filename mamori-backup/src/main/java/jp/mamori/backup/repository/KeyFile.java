package jp.mamori.backup.repository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key file ({@code keys/<sha256>}): the {@link MasterKeys} sealed under a key derived from one
 * passphrase with Argon2id. Several key files open the same repository; removing one revokes that
 * passphrase. The role tells the client which commands the holder may run: {@code append} keys
 * back up, list and restore; {@code admin} keys also forget, prune and manage keys. The role is a
 * guard rail for the operator — what actually stops a compromised client from deleting is the
 * vault's append token or S3 Object Lock.
 */
public record KeyFile(int version, Instant created, String host, String label, String role, Kdf kdf, byte[] data) {

    public static final String ADMIN = "admin";
    public static final String APPEND = "append";

    /**
     * Argon2id parameters.
     *
     * @param memoryKiB memory in KiB
     */
    public record Kdf(String name, int memoryKiB, int iterations, int parallelism, byte[] salt) {

        /** Parameters for new keys: 64 MiB, 3 passes, one lane — above OWASP's minimums for Argon2id. */
        public static Kdf fresh() {
            int memory = Integer.getInteger("mamori.backup.kdf.memory-kib", 64 * 1024);
            int iterations = Integer.getInteger("mamori.backup.kdf.iterations", 3);
            return new Kdf("argon2id", memory, iterations, 1, Crypto.random(16));
        }

        SecretKeySpec derive(char[] passphrase) {
            if (!name.equals("argon2id")) {
                throw new IllegalArgumentException("unknown key derivation " + name);
            }
            byte[] pass = utf8(passphrase);
            try {
                return new SecretKeySpec(Argon2id.derive(pass, salt, memoryKiB, iterations, parallelism), "AES");
            } finally {
                java.util.Arrays.fill(pass, (byte) 0);
            }
        }

        private static byte[] utf8(char[] passphrase) {
            java.nio.ByteBuffer b = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(passphrase));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            if (b.hasArray()) {
                java.util.Arrays.fill(b.array(), (byte) 0);
            }
            return out;
        }
    }

    public static KeyFile create(MasterKeys keys, char[] passphrase, String role, String label) {
        Kdf kdf = Kdf.fresh();
        byte[] plain = Json.write(keys);
        byte[] sealed = Crypto.seal(kdf.derive(passphrase), plain, 0, plain.length);
        return new KeyFile(1, Instant.now(), hostName(), label, role, kdf, sealed);
    }

    /**
     * Opens the key file with a passphrase.
     *
     * @throws WrongPassphraseException if the passphrase does not open it
     */
    public MasterKeys open(char[] passphrase) throws WrongPassphraseException {
        try {
            byte[] plain = Crypto.open(kdf.derive(passphrase), data, 0, data.length, "key file");
            return Json.read(plain, MasterKeys.class, "key file");
        } catch (Crypto.CorruptObjectException e) {
            throw new WrongPassphraseException();
        }
    }

    public byte[] bytes() {
        return Json.write(this);
    }

    /** The key file's name: the SHA-256 of its bytes. */
    public static String nameOf(byte[] bytes) {
        try {
            return ObjectNames.hex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isAdmin() {
        return ADMIN.equals(role);
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** No key file of the repository opens with the given passphrase. */
    public static final class WrongPassphraseException extends java.io.IOException {
        public WrongPassphraseException() {
            super("wrong passphrase: no key of this repository opens with it");
        }
    }
}
