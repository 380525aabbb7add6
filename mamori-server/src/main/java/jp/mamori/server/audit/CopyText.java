package jp.mamori.server.audit;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Rows in PostgreSQL's COPY text format, built as UTF-8 bytes. The canonical JSON of an event is
 * already UTF-8, so it is escaped byte by byte and never decoded into a Java string and encoded
 * again: the bytes of a multi-byte UTF-8 character are all 0x80 or above and never need escaping.
 */
final class CopyText {

    private byte[] buf;
    private int len;

    CopyText(int capacity) {
        buf = new byte[Math.max(capacity, 256)];
    }

    /** A column holding a number. */
    CopyText number(long value) {
        return ascii(Long.toString(value));
    }

    /** A column holding ASCII text that needs no escaping (a number, a time, t or f). */
    CopyText ascii(String value) {
        ensure(value.length() + 1);
        for (int i = 0; i < value.length(); i++) {
            buf[len++] = (byte) value.charAt(i);
        }
        return separator();
    }

    /** A text column, or NULL. */
    CopyText text(@Nullable String value) {
        return value == null ? nul() : bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A text column given as UTF-8 bytes. */
    CopyText bytes(byte[] utf8) {
        ensure(utf8.length + 1);
        for (byte b : utf8) {
            switch (b) {
                case '\\' -> escaped((byte) '\\');
                case '\t' -> escaped((byte) 't');
                case '\n' -> escaped((byte) 'n');
                case '\r' -> escaped((byte) 'r');
                default -> buf[len++] = b;
            }
        }
        return separator();
    }

    CopyText nul() {
        ensure(3);
        buf[len++] = '\\';
        buf[len++] = 'N';
        return separator();
    }

    /** Ends the row: the tab after its last column becomes the newline. */
    void endRow() {
        buf[len - 1] = '\n';
    }

    /** Bytes already in COPY text format, such as the rest of a row made by another instance. */
    CopyText raw(byte[] copyText) {
        ensure(copyText.length);
        System.arraycopy(copyText, 0, buf, len, copyText.length);
        len += copyText.length;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    InputStream stream() {
        return new ByteArrayInputStream(buf, 0, len);
    }

    private void escaped(byte b) {
        ensure(2);
        buf[len++] = '\\';
        buf[len++] = b;
    }

    private CopyText separator() {
        ensure(1);
        buf[len++] = '\t';
        return this;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more + 1024));
        }
    }
}
