package jp.mamori.backup.repository;

import static org.assertj.core.api.Assertions.assertThat;

import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Version;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/** The key derivation gives the same bytes through the C library and through Bouncy Castle. */
class Argon2idTest {

    /** RFC 9106 section 5.3: Argon2id, 32 KiB, 3 passes, 4 lanes, with a secret and associated data. */
    @Test
    void both_implementations_give_the_rfc_9106_tag() {
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] ad = filled(12, 0x04);
        String tag = "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659";

        Argon2BytesGenerator bc = new Argon2BytesGenerator();
        bc.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withSecret(secret)
                .withAdditional(ad)
                .withMemoryAsKB(32)
                .withIterations(3)
                .withParallelism(4)
                .build());
        byte[] javaTag = new byte[32];
        bc.generateBytes(password, javaTag);
        assertThat(HexFormat.of().formatHex(javaTag)).isEqualTo(tag);

        assertThat(Argon2id.usesNative())
                .as("the bundled C library loads on this platform")
                .isTrue();
        byte[] nativeTag = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id)
                .rawHashAdvanced(3, 32, 4, password, salt, secret, ad, 32, Argon2Version.V13);
        assertThat(HexFormat.of().formatHex(nativeTag)).isEqualTo(tag);
    }

    @Property(tries = 25)
    void native_and_java_derive_the_same_key(
            @ForAll @Size(max = 64) byte[] password,
            @ForAll @Size(min = 8, max = 32) byte[] salt,
            @ForAll @IntRange(min = 8, max = 256) int memoryKiB,
            @ForAll @IntRange(min = 1, max = 3) int iterations,
            @ForAll @IntRange(min = 1, max = 2) int parallelism) {
        int memory = Math.max(memoryKiB, 8 * parallelism);
        assertThat(Argon2id.derive(password, salt, memory, iterations, parallelism))
                .isEqualTo(Argon2id.java(password, salt, memory, iterations, parallelism));
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
