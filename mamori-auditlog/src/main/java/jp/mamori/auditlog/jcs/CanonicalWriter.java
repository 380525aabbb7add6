package jp.mamori.auditlog.jcs;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** RFC 8785 §3.2 serialization into UTF-8. */
final class CanonicalWriter {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf = new byte[256];
    private int len;

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    @SuppressWarnings("unchecked")
    void write(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> sorted = m instanceof TreeMap<?, ?> t && t.comparator() == null
                    ? (Map<String, Object>) m
                    : new TreeMap<>((Map<String, Object>) m);
            put('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    put(',');
                }
                first = false;
                string(e.getKey());
                put(':');
                write(e.getValue());
            }
            put('}');
        } else if (v instanceof List<?> l) {
            put('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    put(',');
                }
                write(l.get(i));
            }
            put(']');
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Number n) {
            ascii(EcmaNumbers.toString(n.doubleValue()));
        } else if (v instanceof Boolean b) {
            ascii(b ? "true" : "false");
        } else if (v == Json.NULL || v == null) {
            ascii("null");
        } else {
            throw new IllegalArgumentException(
                    "not a JSON value: " + v.getClass().getName());
        }
    }

    private void string(String s) {
        put('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '"' -> {
                        put('\\');
                        put('"');
                    }
                    case '\\' -> {
                        put('\\');
                        put('\\');
                    }
                    case '\b' -> {
                        put('\\');
                        put('b');
                    }
                    case '\f' -> {
                        put('\\');
                        put('f');
                    }
                    case '\n' -> {
                        put('\\');
                        put('n');
                    }
                    case '\r' -> {
                        put('\\');
                        put('r');
                    }
                    case '\t' -> {
                        put('\\');
                        put('t');
                    }
                    default -> {
                        if (c < 0x20) {
                            put('\\');
                            put('u');
                            put('0');
                            put('0');
                            put(HEX[c >> 4]);
                            put(HEX[c & 0xf]);
                        } else {
                            put(c);
                        }
                    }
                }
            } else if (c < 0x800) {
                put(0xc0 | (c >> 6));
                put(0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    put(0xf0 | (cp >> 18));
                    put(0x80 | ((cp >> 12) & 0x3f));
                    put(0x80 | ((cp >> 6) & 0x3f));
                    put(0x80 | (cp & 0x3f));
                } else {
                    throw new IllegalArgumentException("string has a lone surrogate at index " + i);
                }
            } else {
                put(0xe0 | (c >> 12));
                put(0x80 | ((c >> 6) & 0x3f));
                put(0x80 | (c & 0x3f));
            }
        }
        put('"');
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            put(s.charAt(i));
        }
    }

    private void put(int b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, len * 2);
        }
        buf[len++] = (byte) b;
    }
}
