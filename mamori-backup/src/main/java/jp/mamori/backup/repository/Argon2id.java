package jp.mamori.backup.repository;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.jspecify.annotations.Nullable;

/**
 * Argon2id (RFC 9106, version 0x13) for the key files: the reference C implementation where its
 * library loads (argon2-jvm bundles it for Linux, macOS and Windows), Bouncy Castle's Java one
 * otherwise. Both give the same bytes for the same parameters ({@code Argon2idTest} checks it); the C
 * code takes a fraction of the time, and every command pays one derivation before it can read the
 * repository.
 */
final class Argon2id {

    static final int KEY_BYTES = 32;

    private static final @Nullable Argon2Advanced NATIVE = load();

    private Argon2id() {}

    private static @Nullable Argon2Advanced load() {
        if (Boolean.getBoolean("mamori.backup.kdf.java")) {
            return null;
        }
        try {
            Argon2Advanced a = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id, 16, KEY_BYTES);
            a.rawHash(1, 8, 1, new byte[] {1}, new byte[16]);
            return a;
        } catch (Throwable e) {
            // No native library for this platform (or JNA refused it): Bouncy Castle serves.
            return null;
        }
    }

    static boolean usesNative() {
        return NATIVE != null;
    }

    static byte[] derive(byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism) {
        return NATIVE != null
                ? NATIVE.rawHash(iterations, memoryKiB, parallelism, password, salt)
                : java(password, salt, memoryKiB, iterations, parallelism);
    }

    static byte[] java(byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism) {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .build());
        byte[] key = new byte[KEY_BYTES];
        gen.generateBytes(password, key);
        return key;
    }
}
