package jp.mamori.server.identity;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane; 16-byte salt, 32-byte hash), computed by
 * the reference C implementation where its library loads (argon2-jvm bundles it for Linux, macOS
 * and Windows) and by Spring's Bouncy Castle encoder otherwise. The C code is about twice as fast on
 * the same parameters, and the hash is most of what a sign-in costs. Both read and write the same
 * PHC string ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), so stored hashes work with either.
 */
final class Argon2idPasswords implements PasswordEncoder {

    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;

    private final PasswordEncoder portable =
            new Argon2PasswordEncoder(SALT_BYTES, HASH_BYTES, PARALLELISM, MEMORY_KIB, ITERATIONS);
    private final @Nullable Argon2 nativeArgon2;

    Argon2idPasswords(boolean preferNative) {
        this.nativeArgon2 = preferNative ? load() : null;
    }

    private static @Nullable Argon2 load() {
        try {
            Argon2 a = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, SALT_BYTES, HASH_BYTES);
            a.hash(1, 8, 1, new char[] {'x'});
            return a;
        } catch (Throwable e) {
            LoggerFactory.getLogger(Argon2idPasswords.class)
                    .info("The native Argon2 library did not load ({}); passwords are hashed in Java", e.toString());
            return null;
        }
    }

    boolean usesNative() {
        return nativeArgon2 != null;
    }

    @Override
    public String encode(@Nullable CharSequence raw) {
        if (raw == null) {
            throw new IllegalArgumentException("no password to hash");
        }
        if (nativeArgon2 == null) {
            return portable.encode(raw);
        }
        char[] chars = chars(raw);
        try {
            return nativeArgon2.hash(ITERATIONS, MEMORY_KIB, PARALLELISM, chars);
        } finally {
            nativeArgon2.wipeArray(chars);
        }
    }

    @Override
    public boolean matches(@Nullable CharSequence raw, @Nullable String encoded) {
        if (raw == null || encoded == null || !encoded.startsWith("$argon2id$")) {
            return false;
        }
        if (nativeArgon2 == null) {
            return portable.matches(raw, encoded);
        }
        char[] chars = chars(raw);
        try {
            return nativeArgon2.verify(encoded, chars);
        } catch (RuntimeException malformed) {
            return false;
        } finally {
            nativeArgon2.wipeArray(chars);
        }
    }

    private static char[] chars(CharSequence raw) {
        char[] c = new char[raw.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = raw.charAt(i);
        }
        return c;
    }
}
