package jp.mamori.auditlog.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, then signature lines {@code — <name>
 * <base64(key ID || signature)>}.
 *
 * @param text the signed text, including its final newline
 */
public record SignedNote(String text, List<Signature> signatures) {

    static final String DASH = "\u2014 ";

    /** One signature line. */
    public record Signature(String keyName, int keyId, byte[] signature) {
        /** The line without its newline. */
        public String line() {
            byte[] b = new byte[4 + signature.length];
            b[0] = (byte) (keyId >>> 24);
            b[1] = (byte) (keyId >>> 16);
            b[2] = (byte) (keyId >>> 8);
            b[3] = (byte) keyId;
            System.arraycopy(signature, 0, b, 4, signature.length);
            return DASH + keyName + " " + Base64.getEncoder().encodeToString(b);
        }
    }

    public SignedNote {
        signatures = List.copyOf(signatures);
    }

    /** The note as text: the signed text, a blank line and the signature lines. */
    public String format() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (Signature s : signatures) {
            sb.append(s.line()).append('\n');
        }
        return sb.toString();
    }

    /** Parses a signed note; checks its form, not its signatures. */
    public static SignedNote parse(String note) throws NoteFormatException {
        if (note.length() > 1_000_000) {
            throw new NoteFormatException("note is longer than 1,000,000 characters", 0);
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(note)) {
            throw new NoteFormatException("note is not valid Unicode text", 0);
        }
        for (int i = 0, line = 1; i < note.length(); i++) {
            char c = note.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c < 0x20) {
                throw new NoteFormatException("control character U+" + String.format("%04X", (int) c), line);
            }
        }
        if (!note.endsWith("\n")) {
            throw new NoteFormatException("note does not end with a newline", countLines(note));
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new NoteFormatException("note has no blank line before its signatures", 0);
        }
        String text = note.substring(0, split + 1);
        String sigs = note.substring(split + 2);
        int firstSigLine = countLines(text) + 2;
        List<Signature> out = new ArrayList<>();
        String[] lines = sigs.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            out.add(parseSignatureLine(lines[i], firstSigLine + i));
        }
        if (out.isEmpty()) {
            throw new NoteFormatException("note has no signature lines", firstSigLine);
        }
        return new SignedNote(text, out);
    }

    private static Signature parseSignatureLine(String l, int lineNo) throws NoteFormatException {
        if (!l.startsWith(DASH)) {
            throw new NoteFormatException("signature line does not start with an em dash and a space", lineNo);
        }
        String rest = l.substring(DASH.length());
        int sp = rest.lastIndexOf(' ');
        if (sp <= 0) {
            throw new NoteFormatException("signature line has no key name and signature", lineNo);
        }
        String name = rest.substring(0, sp);
        checkKeyName(name, lineNo);
        byte[] b;
        try {
            b = Base64.getDecoder().decode(rest.substring(sp + 1));
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException("signature is not base64", lineNo);
        }
        if (b.length < 5) {
            throw new NoteFormatException("signature is shorter than a key ID and one byte", lineNo);
        }
        int id = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        byte[] sig = java.util.Arrays.copyOfRange(b, 4, b.length);
        return new Signature(name, id, sig);
    }

    static void checkKeyName(String name, int lineNo) throws NoteFormatException {
        if (name.isEmpty()) {
            throw new NoteFormatException("key name is empty", lineNo);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new NoteFormatException("key name contains a space or '+'", lineNo);
            }
        }
    }

    private static int countLines(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
