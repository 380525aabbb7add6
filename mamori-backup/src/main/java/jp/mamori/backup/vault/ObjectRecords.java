package jp.mamori.backup.vault;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.UUID;
import jp.mamori.backup.repository.ObjectKind;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the vault knows about each stored object beyond its bytes: when it arrived, its SHA-256 and
 * size, and the date before which nobody may delete it. Kept in {@code records/} beside the objects,
 * one small JSON file per object, written after the object itself is durable.
 */
final class ObjectRecords {

    /** One object's record. {@code retainUntil} may be null: then only the vault's lock period holds it. */
    record ObjectRecord(String created, String sha256, long size, @Nullable String retainUntil) {
        Instant createdAt() {
            return Instant.parse(created);
        }

        @Nullable
        Instant retainUntilAt() {
            return retainUntil == null ? null : Instant.parse(retainUntil);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Path folder;

    ObjectRecords(Path vaultRoot) {
        this.folder = vaultRoot.resolve("records");
    }

    private Path file(ObjectKind kind, String name) {
        return folder.resolve(kind.folder()).resolve(name + ".json");
    }

    @Nullable
    ObjectRecord find(ObjectKind kind, String name) throws IOException {
        Path f = file(kind, name);
        try {
            return JSON.readValue(Files.readAllBytes(f), ObjectRecord.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (JacksonException e) {
            throw new IOException(f + " is not a valid object record: " + e.getOriginalMessage(), e);
        }
    }

    synchronized void put(ObjectKind kind, String name, ObjectRecord record) throws IOException {
        Path f = file(kind, name);
        Files.createDirectories(f.getParent());
        Path temp = f.resolveSibling(name + "." + UUID.randomUUID() + ".tmp");
        Files.write(temp, JSON.writeValueAsBytes(record));
        try {
            Files.move(temp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, f, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    synchronized void remove(ObjectKind kind, String name) throws IOException {
        Files.deleteIfExists(file(kind, name));
    }
}
