package jp.mamori.auditlog.checkpoint;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP tlog-checkpoint: the origin of the log, its size and its RFC 9162 root hash, and optional
 * extension lines. {@link #text()} is the note text that gets signed.
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {

    public Checkpoint {
        if (origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("origin must be one non-empty line");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        if (rootHash.length != 32) {
            throw new IllegalArgumentException("root hash must be 32 bytes");
        }
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions);
        for (String e : extensions) {
            if (e.isEmpty() || e.contains("\n")) {
                throw new IllegalArgumentException("extension lines must be non-empty single lines");
            }
        }
    }

    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, List.of());
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The note text: origin, size, base64 root, extension lines, each ending in a newline. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(origin).append('\n').append(size).append('\n');
        sb.append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
        for (String e : extensions) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    /** Reads the text of a checkpoint note (the part before the blank line). */
    public static Checkpoint parse(String text) throws NoteFormatException {
        if (!text.endsWith("\n")) {
            throw new NoteFormatException("checkpoint text does not end with a newline", 0);
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new NoteFormatException("checkpoint has fewer than three lines", lines.length);
        }
        if (lines[0].isEmpty()) {
            throw new NoteFormatException("checkpoint origin is empty", 1);
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new NoteFormatException("checkpoint size is not a decimal number without leading zeros", 2);
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new NoteFormatException("checkpoint size is too large", 2);
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException("checkpoint root hash is not base64", 3);
        }
        if (root.length != 32) {
            throw new NoteFormatException("checkpoint root hash is not 32 bytes", 3);
        }
        List<String> ext = new ArrayList<>();
        for (int i = 3; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                throw new NoteFormatException("checkpoint extension line is empty", i + 1);
            }
            ext.add(lines[i]);
        }
        return new Checkpoint(lines[0], size, root, ext);
    }

    /** Reads a signed checkpoint note and checks its signature by {@code verifier}. */
    public static Checkpoint open(String note, NoteVerifier verifier) throws NoteFormatException {
        SignedNote n = SignedNote.parse(note);
        if (!verifier.verify(n)) {
            throw new NoteFormatException("checkpoint carries no valid signature by " + verifier.name(), 0);
        }
        return parse(n.text());
    }
}
