package jp.mamori.terminalagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CardUidTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void reads_a_felica_idm_and_a_mifare_uid() {
        assertThat(CardUid.fromResponse(hex("0114B30012AB34CD9000"))).isEqualTo("0114B30012AB34CD");
        assertThat(CardUid.fromResponse(hex("04A1B2C3D4E5F69000"))).isEqualTo("04A1B2C3D4E5F6");
        assertThat(CardUid.fromResponse(hex("DEADBEEF9000"))).isEqualTo("DEADBEEF");
    }

    @Test
    void says_what_the_reader_refused() {
        assertThatThrownBy(() -> CardUid.fromResponse(hex("6A81")))
                .hasMessageContaining("6A81")
                .hasMessageContaining("not supported");
        assertThatThrownBy(() -> CardUid.fromResponse(hex("90"))).hasMessageContaining("1 bytes");
        assertThatThrownBy(() -> CardUid.fromResponse(hex("01029000"))).hasMessageContaining("2 bytes");
    }

    @Test
    void any_answer_yields_a_uid_or_a_card_read_error() {
        Random random = new Random(20261123);
        for (int i = 0; i < 10_000; i++) {
            byte[] answer = new byte[random.nextInt(24)];
            random.nextBytes(answer);
            if (random.nextBoolean() && answer.length >= 2) {
                answer[answer.length - 2] = (byte) 0x90;
                answer[answer.length - 1] = 0;
            }
            try {
                assertThat(CardUid.fromResponse(answer)).matches("[0-9A-F]{8,32}");
            } catch (CardUid.CardReadException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}
