package jp.mamori.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {

    // RFC 6238 Appendix B: the seeds are the ASCII digits "1234567890" repeated to the hash's length.
    private static final byte[] SHA1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512 =
            "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({
        "59, 94287082, 46119246, 90693936",
        "1111111109, 07081804, 68084774, 25091201",
        "1111111111, 14050471, 67062674, 99943326",
        "1234567890, 89005924, 91819424, 93441116",
        "2000000000, 69279037, 90698825, 38618901",
        "20000000000, 65353130, 77737706, 47863826"
    })
    void matches_the_rfc_6238_test_vectors(long time, String sha1, String sha256, String sha512) {
        long step = Totp.step(Instant.ofEpochSecond(time));
        assertThat(Totp.code(SHA1, step, "HmacSHA1", 8)).isEqualTo(sha1);
        assertThat(Totp.code(SHA256, step, "HmacSHA256", 8)).isEqualTo(sha256);
        assertThat(Totp.code(SHA512, step, "HmacSHA512", 8)).isEqualTo(sha512);
    }

    @Test
    void accepts_one_step_of_clock_drift_either_way_and_no_more() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        long step = Totp.step(now);
        for (int drift = -1; drift <= 1; drift++) {
            assertThat(Totp.matchingStep(SHA1, Totp.code(SHA1, step + drift), now))
                    .hasValue(step + drift);
        }
        assertThat(Totp.matchingStep(SHA1, Totp.code(SHA1, step + 2), now)).isEmpty();
        assertThat(Totp.matchingStep(SHA1, Totp.code(SHA1, step - 2), now)).isEmpty();
    }

    @Test
    void refuses_malformed_codes() {
        Instant now = Instant.now();
        assertThat(Totp.matchingStep(SHA1, "", now)).isEmpty();
        assertThat(Totp.matchingStep(SHA1, "12345", now)).isEmpty();
        assertThat(Totp.matchingStep(SHA1, "12a456", now)).isEmpty();
        assertThat(Totp.matchingStep(SHA1, "1234567", now)).isEmpty();
    }

    @Test
    void base32_matches_rfc_4648() {
        assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Base32.encode("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
    }
}
