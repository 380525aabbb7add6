package jp.mamori.server.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.mamori.backup.Backends;
import jp.mamori.backup.repository.Repository;
import jp.mamori.server.platform.SecretSealer;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The backup repositories the server watches, with their passphrases sealed under the server's
 * master key. A repository is only registered once it opens with the passphrase given. Opened
 * repositories are kept, so the key derivation (Argon2id, 64 MiB) runs once, not at every check.
 */
@Component
class WatchedRepositories {

    private static final String PURPOSE = "backup-repository-passphrase";

    record Watched(
            long id,
            String name,
            String location,
            @Nullable Instant checkedAt,
            @Nullable String lastError,
            @Nullable String keyRole,
            @Nullable Integer lockDays) {

        /** The operational side cannot delete what this repository keeps. */
        boolean locked() {
            return location.startsWith("vault:") || (location.startsWith("s3:") && lockDays != null && lockDays > 0);
        }
    }

    private final JdbcClient jdbc;
    private final SecretSealer sealer;
    private final Map<Long, Repository> open = new ConcurrentHashMap<>();

    WatchedRepositories(JdbcClient jdbc, SecretSealer sealer) {
        this.jdbc = jdbc;
        this.sealer = sealer;
    }

    List<Watched> all() {
        return jdbc.sql(
                        """
                        SELECT id, name, location, checked_at, last_error, key_role, lock_days
                        FROM backup_repository ORDER BY name""")
                .query((rs, i) -> new Watched(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant(),
                        rs.getString(5),
                        rs.getString(6),
                        (Integer) rs.getObject(7)))
                .list();
    }

    /**
     * Registers a repository after opening it with the passphrase.
     *
     * @throws IOException with a message for the person registering if it does not open
     */
    long register(String name, String location, String passphrase, String by) throws IOException {
        if (name.isBlank() || location.isBlank() || passphrase.isEmpty()) {
            throw new IOException("name, location and passphrase are all needed");
        }
        Repository repo = Repository.open(Backends.open(location.strip(), System.getenv()), passphrase.toCharArray());
        long id = jdbc.sql(
                        """
                        INSERT INTO backup_repository (name, location, passphrase, registered_by, key_role, lock_days)
                        VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(
                        name.strip(),
                        location.strip(),
                        sealer.seal(passphrase.getBytes(StandardCharsets.UTF_8), PURPOSE),
                        by,
                        repo.key().role(),
                        repo.config().lockDays())
                .query(Long.class)
                .single();
        open.put(id, repo);
        return id;
    }

    void remove(long id) {
        Repository r = open.remove(id);
        if (r != null) {
            try {
                r.close();
            } catch (IOException ignored) {
                // closing a reader
            }
        }
        jdbc.sql("DELETE FROM backup_repository WHERE id = ?").param(id).update();
    }

    /** The opened repository, opening it if needed. */
    Repository opened(Watched w) throws IOException {
        Repository r = open.get(w.id());
        if (r != null) {
            return r;
        }
        byte[] sealed = jdbc.sql("SELECT passphrase FROM backup_repository WHERE id = ?")
                .param(w.id())
                .query(byte[].class)
                .single();
        char[] pass = new String(sealer.open(sealed, PURPOSE), StandardCharsets.UTF_8).toCharArray();
        r = Repository.open(Backends.open(w.location(), System.getenv()), pass);
        open.put(w.id(), r);
        return r;
    }

    void forget(long id) {
        open.remove(id);
    }
}
