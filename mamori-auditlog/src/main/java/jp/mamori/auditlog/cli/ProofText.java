package jp.mamori.auditlog.cli;

import java.util.ArrayList;
import java.util.List;
import jp.mamori.auditlog.Hashes;
import jp.mamori.auditlog.checkpoint.NoteFormatException;

/** Text forms of proofs: C2SP tlog-proof for inclusion, and the log's own consistency proof text. */
final class ProofText {

    static final String INCLUSION_HEADER = "c2sp.org/tlog-proof@v1";
    static final String CONSISTENCY_HEADER = "mamori.jp/consistency-proof@v1";

    record Inclusion(long index, List<byte[]> proof, String checkpointNote) {}

    record Consistency(long oldSize, byte[] oldRoot, long newSize, byte[] newRoot, List<byte[]> proof) {}

    private ProofText() {}

    static String consistency(long from, byte[] oldRoot, long to, byte[] newRoot, List<byte[]> proof) {
        StringBuilder sb = new StringBuilder(CONSISTENCY_HEADER).append('\n');
        sb.append("old ")
                .append(from)
                .append(' ')
                .append(Hashes.toBase64(oldRoot))
                .append('\n');
        sb.append("new ")
                .append(to)
                .append(' ')
                .append(Hashes.toBase64(newRoot))
                .append('\n');
        for (byte[] h : proof) {
            sb.append(Hashes.toBase64(h)).append('\n');
        }
        return sb.toString();
    }

    static Inclusion parseInclusion(String text) throws NoteFormatException {
        String[] lines = text.split("\n", -1);
        int i = 0;
        if (lines.length < 3 || !lines[i++].equals(INCLUSION_HEADER)) {
            throw new NoteFormatException("proof does not start with " + INCLUSION_HEADER, 1);
        }
        if (lines[i].startsWith("extra ")) {
            i++;
        }
        if (!lines[i].matches("index (0|[1-9][0-9]{0,18})")) {
            throw new NoteFormatException("expected \"index <decimal>\"", i + 1);
        }
        long index = Long.parseLong(lines[i++].substring(6));
        List<byte[]> proof = new ArrayList<>();
        for (; i < lines.length && !lines[i].isEmpty(); i++) {
            try {
                proof.add(Hashes.fromBase64(lines[i]));
            } catch (IllegalArgumentException e) {
                throw new NoteFormatException(e.getMessage(), i + 1);
            }
        }
        if (i >= lines.length) {
            throw new NoteFormatException("proof has no blank line before the checkpoint", i);
        }
        StringBuilder note = new StringBuilder();
        for (i++; i < lines.length; i++) {
            note.append(lines[i]);
            if (i < lines.length - 1) {
                note.append('\n');
            }
        }
        return new Inclusion(index, proof, note.toString());
    }

    static Consistency parseConsistency(String text) throws NoteFormatException {
        String[] lines = text.split("\n", -1);
        if (lines.length < 3 || !lines[0].equals(CONSISTENCY_HEADER)) {
            throw new NoteFormatException("proof does not start with " + CONSISTENCY_HEADER, 1);
        }
        String[] old = sizeAndRoot(lines[1], "old", 2);
        String[] neu = sizeAndRoot(lines[2], "new", 3);
        List<byte[]> proof = new ArrayList<>();
        for (int i = 3; i < lines.length; i++) {
            if (lines[i].isEmpty() && i == lines.length - 1) {
                break;
            }
            try {
                proof.add(Hashes.fromBase64(lines[i]));
            } catch (IllegalArgumentException e) {
                throw new NoteFormatException(e.getMessage(), i + 1);
            }
        }
        return new Consistency(
                Long.parseLong(old[1]),
                Hashes.fromBase64(old[2]),
                Long.parseLong(neu[1]),
                Hashes.fromBase64(neu[2]),
                proof);
    }

    private static String[] sizeAndRoot(String line, String word, int lineNo) throws NoteFormatException {
        String[] p = line.split(" ", -1);
        if (p.length != 3 || !p[0].equals(word) || !p[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new NoteFormatException("expected \"" + word + " <size> <base64 root>\"", lineNo);
        }
        try {
            Hashes.fromBase64(p[2]);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException(e.getMessage(), lineNo);
        }
        return p;
    }
}
