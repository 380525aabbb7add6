package jp.mamori.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The native and the Java Argon2id read each other's hashes, at the same parameters. */
class Argon2idPasswordsTest {

    private final Argon2idPasswords nativeHasher = new Argon2idPasswords(true);
    private final Argon2idPasswords javaHasher = new Argon2idPasswords(false);

    @Test
    void hashes_carry_owasp_parameters_and_verify_across_implementations() {
        assumeTrue(nativeHasher.usesNative(), "the native Argon2 library did not load on this platform");
        String byNative = nativeHasher.encode("synthetic-Passw0rd!x");
        String byJava = javaHasher.encode("synthetic-Passw0rd!x");
        assertThat(byNative).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(byJava).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(javaHasher.matches("synthetic-Passw0rd!x", byNative)).isTrue();
        assertThat(nativeHasher.matches("synthetic-Passw0rd!x", byJava)).isTrue();
        assertThat(nativeHasher.matches("synthetic-Passw0rd!y", byJava)).isFalse();
        assertThat(javaHasher.matches("synthetic-Passw0rd!y", byNative)).isFalse();
    }

    @Test
    void refuses_what_is_not_an_argon2id_hash() {
        assertThat(nativeHasher.matches("x", "$2a$10$abcdefghijklmnopqrstuv")).isFalse();
        assertThat(nativeHasher.matches("x", "$argon2id$v=19$m=19456,t=2,p=1$broken"))
                .isFalse();
        assertThat(nativeHasher.matches("x", null)).isFalse();
    }
}
