package jp.mamori.backup.repository;

/** What a blob holds: file content, or a directory's tree. The code is the byte stored in headers. */
public enum BlobType {
    DATA(0),
    TREE(1);

    public final int code;

    BlobType(int code) {
        this.code = code;
    }

    public static BlobType of(int code) throws Crypto.CorruptObjectException {
        return switch (code) {
            case 0 -> DATA;
            case 1 -> TREE;
            default -> throw new Crypto.CorruptObjectException("unknown blob type " + code);
        };
    }
}
