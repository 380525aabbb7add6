package jp.mamori.backup.vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The vault's tokens, kept in {@code tokens.json} in the vault root. A token is 32 random bytes shown
 * once when it is made; the file keeps only its SHA-256 (the token has full entropy, so a plain hash
 * is enough), so reading the file does not give anyone a working token. Changes made with {@code
 * token add/revoke} while the vault runs take effect on the next request.
 */
final class VaultTokens {

    /** What a token may do. */
    enum Role {
        /** Create, read, list and head objects: what a hospital's backup client holds. */
        APPEND,
        /** Everything, including delete and retention extension, and only from the vault's own host. */
        ADMIN
    }

    /** One token as the file keeps it: never the token itself. */
    record Entry(String id, String role, String label, String sha256, String created, @Nullable String revoked) {
        Role roleValue() {
            return Role.valueOf(role.toUpperCase(Locale.ROOT));
        }

        boolean active() {
            return revoked == null;
        }
    }

    record TokenFile(List<Entry> tokens) {}

    /** A freshly made token: the secret is shown to the operator once and then forgotten. */
    record Issued(Entry entry, String secret) {}

    static final String PREFIX = "mamori-vault-";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private @Nullable FileTime loadedAt;
    private List<Entry> entries = List.of();

    VaultTokens(Path vaultRoot) {
        this.file = vaultRoot.resolve("tokens.json");
    }

    /** The tokens, re-read if the file changed since the last call. */
    synchronized List<Entry> entries() throws IOException {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            entries = List.of();
            loadedAt = null;
            return entries;
        }
        if (!modified.equals(loadedAt)) {
            try {
                entries = List.copyOf(JSON.readValue(Files.readAllBytes(file), TokenFile.class)
                        .tokens());
            } catch (JacksonException e) {
                throw new IOException(file + " is not a valid token file: " + e.getOriginalMessage(), e);
            }
            loadedAt = modified;
        }
        return entries;
    }

    /** The active token whose hash matches, or null: the caller answers both "missing" and "wrong" alike. */
    @Nullable
    Entry authenticate(@Nullable String presented) throws IOException {
        if (presented == null || !presented.startsWith(PREFIX)) {
            return null;
        }
        byte[] hash = sha256(presented);
        Entry match = null;
        for (Entry e : entries()) {
            // Compare every entry in constant time, so timing does not tell how close a guess came.
            if (MessageDigest.isEqual(hash, HexFormat.of().parseHex(e.sha256())) && e.active()) {
                match = e;
            }
        }
        return match;
    }

    /**
     * Makes a token. There is one administrator token: making a new one revokes the previous one.
     */
    synchronized Issued add(Role role, String label, Instant now) throws IOException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[4];
        RANDOM.nextBytes(idBytes);
        String id = "t" + HexFormat.of().formatHex(idBytes);
        List<Entry> next = new ArrayList<>();
        for (Entry e : entries()) {
            if (role == Role.ADMIN && e.roleValue() == Role.ADMIN && e.active()) {
                next.add(new Entry(e.id(), e.role(), e.label(), e.sha256(), e.created(), now.toString()));
            } else {
                next.add(e);
            }
        }
        Entry entry = new Entry(
                id,
                role.name().toLowerCase(Locale.ROOT),
                label,
                HexFormat.of().formatHex(sha256(token)),
                now.toString(),
                null);
        next.add(entry);
        write(next);
        return new Issued(entry, token);
    }

    /** Revokes a token by its id; false if there is no active token with that id. */
    synchronized boolean revoke(String id, Instant now) throws IOException {
        boolean found = false;
        List<Entry> next = new ArrayList<>();
        for (Entry e : entries()) {
            if (e.id().equals(id) && e.active()) {
                next.add(new Entry(e.id(), e.role(), e.label(), e.sha256(), e.created(), now.toString()));
                found = true;
            } else {
                next.add(e);
            }
        }
        if (found) {
            write(next);
        }
        return found;
    }

    private void write(List<Entry> next) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("tokens.json.tmp");
        Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new TokenFile(next)));
        restrictToOwner(temp);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        entries = List.copyOf(next);
        loadedAt = Files.getLastModifiedTime(file);
    }

    static void restrictToOwner(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: the folder's own permissions have to protect it.
        }
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
