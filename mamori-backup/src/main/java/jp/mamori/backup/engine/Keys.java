package jp.mamori.backup.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.Json;
import jp.mamori.backup.repository.KeyFile;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;

/** The passphrases (key files) of a repository: list, add an append or admin key, remove one. */
public final class Keys {

    public record Listed(String name, KeyFile key, boolean current) {}

    private final Repository repo;

    public Keys(Repository repo) {
        this.repo = repo;
    }

    public List<Listed> list() throws IOException {
        List<Listed> out = new ArrayList<>();
        for (Backend.StoredObject o : repo.backend().list(ObjectKind.KEY)) {
            KeyFile k = Json.read(repo.backend().read(ObjectKind.KEY, o.name()), KeyFile.class, "key " + o.name());
            out.add(new Listed(o.name(), k, o.name().equals(repo.keyName())));
        }
        out.sort(java.util.Comparator.comparing(l -> l.key().created()));
        return out;
    }

    /** Adds a key for another passphrase; returns its name. */
    public String add(char[] passphrase, String role, String label) throws IOException {
        repo.requireAdmin("adding a key");
        if (!role.equals(KeyFile.ADMIN) && !role.equals(KeyFile.APPEND)) {
            throw new IllegalArgumentException("a key's role is admin or append, not " + role);
        }
        KeyFile k = KeyFile.create(repo.keys(), passphrase, role, label);
        byte[] bytes = k.bytes();
        String name = KeyFile.nameOf(bytes);
        repo.backend().create(ObjectKind.KEY, name, bytes, null);
        return name;
    }

    /** Removes a key by a unique prefix of its name; never the one in use, never the last admin key. */
    public String remove(String prefix) throws IOException {
        repo.requireAdmin("removing a key");
        List<Listed> all = list();
        List<Listed> match =
                all.stream().filter(l -> l.name().startsWith(prefix)).toList();
        if (match.size() != 1) {
            throw new IOException(match.isEmpty() ? "no key named " + prefix : "key name " + prefix + " is ambiguous");
        }
        Listed k = match.get(0);
        if (k.current()) {
            throw new IOException("the key in use cannot remove itself; open the repository with another admin key");
        }
        long admins = all.stream().filter(l -> l.key().isAdmin()).count();
        if (k.key().isAdmin() && admins <= 1) {
            throw new IOException("that is the last admin key");
        }
        repo.backend().delete(ObjectKind.KEY, k.name());
        return k.name();
    }
}
