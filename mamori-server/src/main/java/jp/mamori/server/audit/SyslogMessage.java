package jp.mamori.server.audit;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One RFC 5424 syslog message: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]}.
 * The header is ASCII; the MSG is kept as bytes (UTF-8 after an optional byte order mark).
 */
record SyslogMessage(
        int priority,
        @Nullable OffsetDateTime timestamp,
        @Nullable String hostname,
        @Nullable String appName,
        @Nullable String msgId,
        byte[] msg) {

    /** A message that does not follow RFC 5424, with where it goes wrong (never with its content). */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    static SyslogMessage parse(byte[] frame) throws Malformed {
        Cursor c = new Cursor(frame);
        c.expect('<', "PRI");
        int pri = 0;
        int digits = 0;
        while (c.peek() >= '0' && c.peek() <= '9') {
            pri = pri * 10 + (c.next() - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || pri > 191) {
            throw new Malformed("PRI is not a number from 0 to 191 (byte " + c.at + ")");
        }
        c.expect('>', "PRI");
        if (c.next() != '1') {
            throw new Malformed("VERSION is not 1 (byte " + (c.at - 1) + "): only RFC 5424 messages are accepted");
        }
        c.expect(' ', "VERSION");
        String time = c.field("TIMESTAMP");
        OffsetDateTime timestamp = null;
        if (time != null) {
            try {
                timestamp = OffsetDateTime.parse(time);
            } catch (DateTimeParseException e) {
                throw new Malformed("TIMESTAMP is not an RFC 3339 time");
            }
        }
        String host = c.field("HOSTNAME");
        String app = c.field("APP-NAME");
        c.field("PROCID");
        String msgId = c.field("MSGID");
        c.structuredData();
        byte[] msg;
        if (c.at >= frame.length) {
            msg = new byte[0];
        } else {
            c.expect(' ', "STRUCTURED-DATA");
            int from = c.at;
            if (frame.length - from >= 3
                    && (frame[from] & 0xff) == 0xEF
                    && (frame[from + 1] & 0xff) == 0xBB
                    && (frame[from + 2] & 0xff) == 0xBF) {
                from += 3;
            }
            msg = Arrays.copyOfRange(frame, from, frame.length);
        }
        return new SyslogMessage(pri, timestamp, host, app, msgId, msg);
    }

    private static final class Cursor {
        final byte[] b;
        int at;

        Cursor(byte[] b) {
            this.b = b;
        }

        int peek() {
            return at < b.length ? b[at] & 0xff : -1;
        }

        int next() throws Malformed {
            if (at >= b.length) {
                throw new Malformed("the message ends inside its header (byte " + at + ")");
            }
            return b[at++] & 0xff;
        }

        void expect(char ch, String part) throws Malformed {
            int got = next();
            if (got != ch) {
                throw new Malformed(part + ": expected '" + ch + "' at byte " + (at - 1));
            }
        }

        /** A header field up to the next space (consumed); null for the nil value "-". */
        @Nullable
        String field(String name) throws Malformed {
            int from = at;
            while (at < b.length && b[at] != ' ') {
                int ch = b[at] & 0xff;
                if (ch < 33 || ch > 126) {
                    throw new Malformed(name + " holds a byte that is not printable ASCII (byte " + at + ")");
                }
                at++;
            }
            if (at == from) {
                throw new Malformed(name + " is empty (byte " + at + ")");
            }
            String value = new String(b, from, at - from, StandardCharsets.US_ASCII);
            expect(' ', name);
            return value.equals("-") ? null : value;
        }

        /** Skips "-" or one or more SD-ELEMENTs, minding quoted parameter values and their escapes. */
        void structuredData() throws Malformed {
            if (peek() == '-') {
                at++;
                return;
            }
            if (peek() != '[') {
                throw new Malformed("STRUCTURED-DATA is neither '-' nor an element in [] (byte " + at + ")");
            }
            while (peek() == '[') {
                at++;
                boolean quoted = false;
                while (true) {
                    int ch = next();
                    if (quoted) {
                        if (ch == '\\') {
                            next();
                        } else if (ch == '"') {
                            quoted = false;
                        }
                    } else if (ch == '"') {
                        quoted = true;
                    } else if (ch == ']') {
                        break;
                    }
                }
            }
        }
    }
}
