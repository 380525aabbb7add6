package jp.mamori.auditlog.export;

/**
 * The first thing wrong with an export.
 *
 * @param index the first bad leaf index; for checkpoint problems the checkpoint's tree size
 */
public record Problem(Kind kind, long index, String message) {

    /** What is wrong. */
    public enum Kind {
        /** An event's content differs from what was logged at its index. */
        CHANGED,
        /** The event at this index is absent (deleted, or the export is truncated). */
        MISSING,
        /** An event was added that the log does not hold at this index. */
        INSERTED,
        /** Events appear in another order than their indexes. */
        REORDERED,
        /** An event line is not well-formed. */
        MALFORMED,
        /** A checkpoint's signature does not verify with the export's key, or the checkpoint is unreadable. */
        BAD_SIGNATURE,
        /** A signed checkpoint's root differs from the root recomputed from the events. */
        ROOT_MISMATCH,
        /** Two signed checkpoints cannot both be views of one append-only log. */
        INCONSISTENT,
        /** The hash tiles in the export disagree with events that match every checkpoint. */
        DAMAGED_TILES,
        /** A file of the export is absent or unreadable. */
        UNREADABLE
    }

    @Override
    public String toString() {
        return kind + " at index " + index + ": " + message;
    }
}
