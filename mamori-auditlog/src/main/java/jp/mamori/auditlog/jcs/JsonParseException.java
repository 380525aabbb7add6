package jp.mamori.auditlog.jcs;

/** Input that is not JSON, or not JSON that RFC 8785 can canonicalize; says where, counting from 1. */
public final class JsonParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final long offset;

    public JsonParseException(String problem, int line, int column, long offset) {
        super(problem + " at line " + line + ", column " + column);
        this.line = line;
        this.column = column;
        this.offset = offset;
    }

    /** Line of the error, from 1. */
    public int line() {
        return line;
    }

    /** Column of the error in characters, from 1. */
    public int column() {
        return column;
    }

    /** Byte offset of the error in the input, from 0. */
    public long offset() {
        return offset;
    }
}
