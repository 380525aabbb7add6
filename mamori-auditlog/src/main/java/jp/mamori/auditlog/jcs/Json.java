package jp.mamori.auditlog.jcs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strict RFC 8259 JSON, read into plain Java values, and RFC 8785 canonical output.
 *
 * <p>Values: objects are {@code Map<String, Object>} sorted by UTF-16 code units, arrays {@code
 * List<Object>}, strings {@code String}, numbers {@code Double}, literals {@code Boolean} and {@link
 * #NULL}. The parser refuses what RFC 8785 cannot canonicalize: duplicate member names, lone surrogates
 * (escaped or not), numbers outside the IEEE 754 double range, and invalid UTF-8.
 */
public final class Json {

    /** The JSON {@code null}. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final int MAX_DEPTH = 512;

    private final byte[] in;
    private final int end;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Json(byte[] in, int offset, int length) {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
        this.lineStart = offset;
    }

    /** Parses one JSON text. */
    public static Object parse(String text) throws JsonParseException {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses one JSON text encoded in UTF-8. */
    public static Object parse(byte[] utf8) throws JsonParseException {
        return parse(utf8, 0, utf8.length);
    }

    /** Parses one JSON text from {@code length} UTF-8 bytes at {@code offset}. */
    public static Object parse(byte[] utf8, int offset, int length) throws JsonParseException {
        Json p = new Json(utf8, offset, length);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos < p.end) {
            throw p.error("unexpected " + p.describe(p.pos) + " after the JSON value");
        }
        return v;
    }

    /** The RFC 8785 canonical UTF-8 bytes of a JSON text. */
    public static byte[] canonicalize(byte[] utf8) throws JsonParseException {
        return canonicalize(parse(utf8));
    }

    /** The RFC 8785 canonical UTF-8 bytes of a value as {@link #parse} returns them. */
    public static byte[] canonicalize(Object value) {
        CanonicalWriter w = new CanonicalWriter();
        w.write(value);
        return w.toByteArray();
    }

    // ---- parser ----

    private Object value(int depth) throws JsonParseException {
        if (pos >= end) {
            throw error("unexpected end of input, a value was expected");
        }
        byte b = in[pos];
        switch (b) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return NULL;
            default:
                if (b == '-' || (b >= '0' && b <= '9')) {
                    return number();
                }
                throw error("unexpected " + describe(pos) + ", a value was expected");
        }
    }

    private Map<String, Object> object(int depth) throws JsonParseException {
        checkDepth(depth);
        pos++;
        TreeMap<String, Object> members = new TreeMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describe(pos) + ", a member name in double quotes was expected");
            }
            int nameStart = pos;
            int nameLine = line;
            int nameLineStart = lineStart;
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (members.put(name, v) != null) {
                throw new JsonParseException(
                        "duplicate member name \"" + name + "\"",
                        nameLine,
                        column(nameLineStart, nameStart),
                        nameStart);
            }
            skipWhitespace();
            int c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return members;
            } else {
                throw error("unexpected " + describe(pos) + ", ',' or '}' was expected");
            }
        }
    }

    private List<Object> array(int depth) throws JsonParseException {
        checkDepth(depth);
        pos++;
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(items);
        }
        while (true) {
            skipWhitespace();
            items.add(value(depth));
            skipWhitespace();
            int c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return Collections.unmodifiableList(items);
            } else {
                throw error("unexpected " + describe(pos) + ", ',' or ']' was expected");
            }
        }
    }

    private void checkDepth(int depth) throws JsonParseException {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void literal(String word) throws JsonParseException {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= end || in[pos + i] != word.charAt(i)) {
                throw error("unexpected " + describe(pos) + ", the literal " + word + " was expected");
            }
        }
        pos += word.length();
    }

    private Double number() throws JsonParseException {
        int start = pos;
        boolean simple = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("a number must not have leading zeros");
            }
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("unexpected " + describe(pos) + ", a digit was expected");
        }
        if (peek() == '.') {
            simple = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("unexpected " + describe(pos) + ", a digit after the decimal point was expected");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            simple = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("unexpected " + describe(pos) + ", a digit in the exponent was expected");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        int len = pos - start;
        if (simple && len <= 16) {
            long v = 0;
            int i = start;
            boolean negative = in[i] == '-';
            if (negative) {
                i++;
            }
            for (; i < pos; i++) {
                v = v * 10 + (in[i] - '0');
            }
            if (v <= (1L << 53)) {
                return negative ? -(double) v : (double) v;
            }
        }
        double d = Double.parseDouble(new String(in, start, len, StandardCharsets.US_ASCII));
        if (Double.isInfinite(d)) {
            pos = start;
            throw error("number " + new String(in, start, len, StandardCharsets.US_ASCII)
                    + " is outside the range of an IEEE 754 double");
        }
        return d;
    }

    private String string() throws JsonParseException {
        pos++; // opening quote
        int start = pos;
        // fast path: plain ASCII without escapes
        while (pos < end) {
            byte b = in[pos];
            if (b == '"') {
                String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
                pos++;
                return s;
            }
            if (b == '\\' || b < 0x20) {
                break;
            }
            pos++;
        }
        StringBuilder sb = new StringBuilder(pos - start + 16);
        for (int i = start; i < pos; i++) {
            sb.append((char) in[i]);
        }
        while (true) {
            if (pos >= end) {
                throw error("unterminated string");
            }
            int b = in[pos] & 0xff;
            if (b == '"') {
                pos++;
                return sb.toString();
            }
            if (b == '\\') {
                escape(sb);
            } else if (b < 0x20) {
                throw error("control character U+" + String.format("%04X", b) + " in a string must be escaped");
            } else if (b < 0x80) {
                sb.append((char) b);
                pos++;
            } else {
                sb.appendCodePoint(utf8());
            }
        }
    }

    private void escape(StringBuilder sb) throws JsonParseException {
        int at = pos;
        pos++;
        if (pos >= end) {
            throw error("unterminated escape sequence");
        }
        byte e = in[pos++];
        switch (e) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                char c = hex4();
                if (Character.isHighSurrogate(c)) {
                    if (pos + 1 < end && in[pos] == '\\' && in[pos + 1] == 'u') {
                        pos += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            pos = at;
                            throw error("lone surrogate \\u" + String.format("%04x", (int) c));
                        }
                        sb.append(c).append(low);
                    } else {
                        pos = at;
                        throw error("lone surrogate \\u" + String.format("%04x", (int) c));
                    }
                } else if (Character.isLowSurrogate(c)) {
                    pos = at;
                    throw error("lone surrogate \\u" + String.format("%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            default -> {
                pos = at;
                throw error("invalid escape sequence \\" + (char) (e & 0x7f));
            }
        }
    }

    private char hex4() throws JsonParseException {
        if (pos + 4 > end) {
            throw error("a \\u escape needs four hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(in[pos] & 0xff, 16);
            if (d < 0 || in[pos] < 0) {
                throw error("a \\u escape needs four hex digits");
            }
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    /** Decodes one multi-byte UTF-8 sequence, refusing overlong forms, surrogates and values past U+10FFFF. */
    private int utf8() throws JsonParseException {
        int b0 = in[pos] & 0xff;
        int n;
        int cp;
        int min;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            n = 1;
            cp = b0 & 0x1f;
            min = 0x80;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            n = 2;
            cp = b0 & 0x0f;
            min = 0x800;
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            n = 3;
            cp = b0 & 0x07;
            min = 0x10000;
        } else {
            throw error("invalid UTF-8 byte 0x" + String.format("%02x", b0));
        }
        if (pos + n >= end) {
            throw error("truncated UTF-8 sequence");
        }
        for (int i = 1; i <= n; i++) {
            int c = in[pos + i] & 0xff;
            if ((c & 0xc0) != 0x80) {
                throw error("invalid UTF-8 sequence");
            }
            cp = (cp << 6) | (c & 0x3f);
        }
        if (cp < min || cp > 0x10ffff) {
            throw error("invalid UTF-8 sequence");
        }
        if (cp >= 0xd800 && cp <= 0xdfff) {
            throw error("lone surrogate U+" + String.format("%04X", cp) + " encoded in UTF-8");
        }
        pos += n + 1;
        return cp;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (b == ' ' || b == '\t' || b == '\r') {
                pos++;
            } else if (b == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else {
                return;
            }
        }
    }

    private void expect(char c) throws JsonParseException {
        if (peek() != c) {
            throw error("unexpected " + describe(pos) + ", '" + c + "' was expected");
        }
        pos++;
    }

    private int peek() {
        return pos < end ? in[pos] & 0xff : -1;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private String describe(int at) {
        if (at >= end) {
            return "end of input";
        }
        int b = in[at] & 0xff;
        if (b >= 0x21 && b < 0x7f) {
            return "'" + (char) b + "'";
        }
        return "byte 0x" + String.format("%02x", b);
    }

    private JsonParseException error(String problem) {
        int at = Math.min(pos, end);
        return new JsonParseException(problem, line, column(lineStart, at), at);
    }

    /** Characters (not continuation bytes) from the line start to {@code at}, plus one. */
    private int column(int fromLineStart, int at) {
        int col = 1;
        for (int i = fromLineStart; i < at && i < end; i++) {
            if ((in[i] & 0xc0) != 0x80) {
                col++;
            }
        }
        return col;
    }
}
