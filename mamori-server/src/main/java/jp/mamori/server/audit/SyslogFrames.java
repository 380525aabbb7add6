package jp.mamori.server.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * Splits a syslog TCP stream into messages: octet counting ({@code MSG-LEN SP SYSLOG-MSG}, RFC 5425
 * §4.3), and also the non-transparent framing of RFC 6587 §3.4.2 where each message ends with a line
 * feed, which many senders use. The first byte of a frame tells them apart: a digit or {@code <}.
 */
final class SyslogFrames {

    /** The stream cannot be split any further; the connection has to be closed. */
    static final class BrokenStream extends IOException {
        BrokenStream(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final int max;

    SyslogFrames(InputStream in, int maxMessageBytes) {
        this.in = in;
        this.max = maxMessageBytes;
    }

    /** The next message, or null when the sender closed the connection between messages. */
    byte @Nullable [] next() throws IOException {
        int b = in.read();
        while (b == '\n' || b == '\r') {
            b = in.read();
        }
        if (b < 0) {
            return null;
        }
        if (b >= '1' && b <= '9') {
            long length = b - '0';
            int digits = 1;
            while ((b = in.read()) >= '0' && b <= '9') {
                length = length * 10 + (b - '0');
                if (++digits > 10) {
                    throw new BrokenStream("a frame length has more than 10 digits");
                }
            }
            if (b != ' ') {
                throw new BrokenStream("a frame length is not followed by a space");
            }
            if (length > max) {
                throw new BrokenStream("a frame of " + length + " bytes is longer than the limit of " + max);
            }
            byte[] frame = in.readNBytes((int) length);
            if (frame.length < length) {
                throw new BrokenStream("the connection ended inside a frame");
            }
            return frame;
        }
        if (b == '<') {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(b);
            while ((b = in.read()) >= 0 && b != '\n') {
                if (frame.size() >= max) {
                    throw new BrokenStream("a line-framed message is longer than the limit of " + max);
                }
                frame.write(b);
            }
            byte[] bytes = frame.toByteArray();
            int end = bytes.length;
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
            return java.util.Arrays.copyOf(bytes, end);
        }
        throw new BrokenStream(
                String.format("a frame starts with the byte 0x%02x, neither a length (octet counting) nor '<'", b));
    }
}
