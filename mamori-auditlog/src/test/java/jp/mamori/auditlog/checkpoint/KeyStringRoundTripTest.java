package jp.mamori.auditlog.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyStringRoundTripTest {

    @Test
    void verifier_keys_read_back_whatever_characters_their_base64_holds() throws Exception {
        Random random = new Random(7);
        int withPlus = 0;
        for (int i = 0; i < 200; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            NoteVerifier v = NoteSigner.fromSeed("example.test/log", seed).verifier();
            String text = v.format();
            if (text.substring(text.lastIndexOf('+', text.indexOf('+', text.indexOf('+') + 1)))
                            .indexOf('+', 1)
                    > 0) {
                withPlus++;
            }
            NoteVerifier back = NoteVerifier.parse(text);
            assertThat(back.format()).isEqualTo(text);
            assertThat(back.keyId()).isEqualTo(v.keyId());
        }
        assertThat(withPlus).as("keys whose base64 contains '+'").isPositive();
    }
}
