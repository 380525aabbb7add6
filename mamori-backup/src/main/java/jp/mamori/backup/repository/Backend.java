package jp.mamori.backup.repository;

import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a repository's objects live: a local folder, the vault over HTTPS, or S3-compatible object
 * storage. Objects are immutable: {@link #create} refuses a name that exists, and nothing offers an
 * overwrite. Deleting is for pruning with an administrator's credential; a backend reached with an
 * append credential refuses it (and the vault or Object Lock enforces that on the far side, so a
 * compromised client cannot get round it).
 */
public interface Backend extends Closeable {

    /** Where this backend points, for messages (no credentials in it). */
    String location();

    /**
     * Stores a new object.
     *
     * @param retainUntil for backends with retention (S3 Object Lock, the vault), the instant before
     *     which nobody may delete the object; null for none
     * @throws ObjectExistsException if an object of that kind and name exists already
     */
    void create(ObjectKind kind, String name, byte[] content, @Nullable Instant retainUntil) throws IOException;

    /**
     * Reads a whole object.
     *
     * @throws NoSuchObjectException if there is none of that kind and name
     */
    byte[] read(ObjectKind kind, String name) throws IOException;

    /** Reads {@code length} bytes of an object from {@code offset}. */
    byte[] read(ObjectKind kind, String name, long offset, int length) throws IOException;

    boolean exists(ObjectKind kind, String name) throws IOException;

    /** Every object of a kind, in no particular order. */
    List<StoredObject> list(ObjectKind kind) throws IOException;

    /**
     * Removes an object. Refused with {@link NotPermittedException} where the credential may only
     * append, or where the object's retention has not run out.
     */
    void delete(ObjectKind kind, String name) throws IOException;

    /**
     * Moves an object's retention date later (never earlier). Backends without retention ignore it.
     */
    default void extendRetention(ObjectKind kind, String name, Instant retainUntil) throws IOException {}

    /** An object as a listing shows it. */
    record StoredObject(String name, long size) {}

    /** The object exists already: objects are never overwritten. */
    final class ObjectExistsException extends IOException {
        public ObjectExistsException(ObjectKind kind, String name) {
            super(kind.folder() + "/" + name + " exists already; repository objects are never overwritten");
        }
    }

    /** The object does not exist. */
    final class NoSuchObjectException extends IOException {
        public NoSuchObjectException(ObjectKind kind, String name) {
            super(kind.folder() + "/" + name + " is missing from the repository");
        }
    }

    /** The credential or the object's retention does not allow the operation. */
    final class NotPermittedException extends IOException {
        public NotPermittedException(String message) {
            super(message);
        }
    }
}
