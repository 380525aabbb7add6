package jp.mamori.terminalagent;

import java.util.HexFormat;

/**
 * The PC/SC "Get Data" command that most contactless readers answer with the card's UID (MIFARE)
 * or IDm (FeliCa), and the reading of its answer.
 */
final class CardUid {

    /** CLA FF, INS CA, P1 00 (UID), P2 00, Le 00: the whole UID. */
    static final byte[] GET_UID = {(byte) 0xFF, (byte) 0xCA, 0x00, 0x00, 0x00};

    private CardUid() {}

    /** The UID in upper-case hex from a reader's response, or an error saying what the reader answered. */
    static String fromResponse(byte[] response) {
        if (response.length < 2) {
            throw new CardReadException("The reader's answer is " + response.length + " bytes; expected a status word");
        }
        int sw1 = response[response.length - 2] & 0xff;
        int sw2 = response[response.length - 1] & 0xff;
        if (sw1 != 0x90 || sw2 != 0x00) {
            throw new CardReadException(String.format(
                    "The reader refused to give the card's UID (status %02X%02X%s)", sw1, sw2, explain(sw1, sw2)));
        }
        int length = response.length - 2;
        if (length < 4 || length > 16) {
            throw new CardReadException("The card's UID is " + length + " bytes; expected 4 to 16");
        }
        return HexFormat.of().withUpperCase().formatHex(response, 0, length);
    }

    private static String explain(int sw1, int sw2) {
        if (sw1 == 0x6A && sw2 == 0x81) {
            return ": function not supported by this reader";
        }
        if (sw1 == 0x63) {
            return ": operation failed";
        }
        if (sw1 == 0x6C) {
            return ": wrong length";
        }
        return "";
    }

    /** A card could not be read; the message says what the reader did. */
    static final class CardReadException extends RuntimeException {
        CardReadException(String message) {
            super(message);
        }
    }
}
