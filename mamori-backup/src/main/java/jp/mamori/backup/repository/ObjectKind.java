package jp.mamori.backup.repository;

/**
 * The kinds of object a repository stores. Every object is written once and never changed; only
 * pruning, with an administrator's credential, removes any. The folder names are part of the format
 * ({@code docs/backup-repository-format.md}).
 */
public enum ObjectKind {
    /** The repository's parameters, encrypted: one object named {@code config}. */
    CONFIG("config"),
    /** Key files: the master keys wrapped under a passphrase. */
    KEY("keys"),
    /** Pack files of encrypted blobs. */
    PACK("data"),
    /** Index files: which blob is in which pack. */
    INDEX("index"),
    /** Generation (snapshot) manifests. */
    SNAPSHOT("snapshots"),
    /** Signed records of restore drills. */
    DRILL("drills");

    private final String folder;

    ObjectKind(String folder) {
        this.folder = folder;
    }

    /** The folder (or key prefix) the objects of this kind live under. */
    public String folder() {
        return folder;
    }

    /** Objects of this kind may be read by anyone who holds a repository key. */
    public static ObjectKind fromFolder(String folder) {
        for (ObjectKind kind : values()) {
            if (kind.folder.equals(folder)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown object folder: " + folder);
    }
}
