package jp.mamori.backup.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Sealed boxes are plain AES-256-GCM, interchangeable with the JDK's one-shot GCM in both directions. */
class CryptoTest {

    private final byte[] key = new byte[32];
    private final Crypto crypto;

    CryptoTest() {
        new Random(1).nextBytes(key);
        crypto = new Crypto(key, new byte[32]);
    }

    @Property(tries = 40)
    void a_box_opens_with_standard_gcm_and_a_standard_box_opens_here(
            @ForAll @IntRange(max = 100_000) int size, @ForAll long seed) throws Exception {
        byte[] plain = new byte[size];
        new Random(seed).nextBytes(plain);
        byte[] box = crypto.seal(plain);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, box, 0, 12));
        assertThat(jdk.doFinal(box, 12, box.length - 12)).isEqualTo(plain);

        byte[] nonce = new byte[12];
        new Random(seed + 1).nextBytes(nonce);
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        byte[] sealed = jdk.doFinal(plain);
        byte[] standard = new byte[12 + sealed.length];
        System.arraycopy(nonce, 0, standard, 0, 12);
        System.arraycopy(sealed, 0, standard, 12, sealed.length);
        assertThat(crypto.open(standard, "test")).isEqualTo(plain);
        assertThat(crypto.open(standard, "test"))
                .as("opening the same box twice in a row")
                .isEqualTo(plain);
    }

    @Property(tries = 40)
    void any_flipped_bit_is_refused(@ForAll @IntRange(min = 1, max = 5000) int size, @ForAll long seed) {
        Random r = new Random(seed);
        byte[] plain = new byte[size];
        r.nextBytes(plain);
        byte[] box = crypto.seal(plain);
        int at = r.nextInt(box.length);
        box[at] ^= (byte) (1 << r.nextInt(8));
        assertThatThrownBy(() -> crypto.open(box, "pack 00ff, blob at 0"))
                .isInstanceOf(Crypto.CorruptObjectException.class)
                .hasMessageContaining("pack 00ff")
                .hasMessageContaining("altered or damaged");
    }

    @Property(tries = 30)
    void the_jdk_and_the_native_implementation_open_each_others_boxes(
            @ForAll @IntRange(max = 70_000) int size, @ForAll long seed) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Crypto.nativeAvailable(), "Conscrypt's native library did not load");
        byte[] plain = new byte[size];
        new Random(seed).nextBytes(plain);
        SecretKeySpec k = new SecretKeySpec(key, "AES");
        byte[] byJdk = Crypto.seal(k, plain, 0, size, false);
        byte[] byNative = Crypto.seal(k, plain, 0, size, true);
        assertThat(Crypto.open(k, byJdk, 0, byJdk.length, "t", true)).isEqualTo(plain);
        assertThat(Crypto.open(k, byNative, 0, byNative.length, "t", false)).isEqualTo(plain);
        assertThat(Crypto.open(k, byNative, 0, byNative.length, "t", false)).isEqualTo(plain);
        byNative[byNative.length - 1] ^= 1;
        assertThatThrownBy(() -> Crypto.open(k, byNative, 0, byNative.length, "t", false))
                .isInstanceOf(Crypto.CorruptObjectException.class);
    }

    @Test
    void refuses_a_box_too_short_to_hold_a_nonce_and_tag() {
        assertThatThrownBy(() -> crypto.open(new byte[27], "index 12"))
                .isInstanceOf(Crypto.CorruptObjectException.class)
                .hasMessageContaining("index 12")
                .hasMessageContaining("too short");
    }

    @Test
    void another_key_does_not_open_a_box() {
        byte[] box = crypto.seal("synthetic".getBytes());
        byte[] other = Arrays.copyOf(key, 32);
        other[0] ^= 1;
        assertThatThrownBy(() -> new Crypto(other, new byte[32]).open(box, "x"))
                .isInstanceOf(Crypto.CorruptObjectException.class);
    }
}
