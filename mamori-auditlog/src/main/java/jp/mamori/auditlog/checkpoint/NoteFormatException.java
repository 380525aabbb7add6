package jp.mamori.auditlog.checkpoint;

/** Text that is not a well-formed signed note, checkpoint or key; names the line, counting from 1. */
public final class NoteFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    public NoteFormatException(String problem, int line) {
        super(line > 0 ? problem + " (line " + line + ")" : problem);
        this.line = line;
    }

    /** The offending line from 1, or 0 when the problem is not tied to one line. */
    public int line() {
        return line;
    }
}
