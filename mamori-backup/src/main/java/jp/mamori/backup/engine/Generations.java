package jp.mamori.backup.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.BlobId;
import jp.mamori.backup.repository.Crypto;
import jp.mamori.backup.repository.Json;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;
import jp.mamori.backup.snapshot.Snapshot;
import jp.mamori.backup.snapshot.Tree;
import jp.mamori.backup.snapshot.TreeJson;

/** The generations of a repository, by name, and the trees they point to. */
public final class Generations {

    /** A generation with its object name. */
    public record Named(String name, Snapshot snapshot) {
        public String shortName() {
            return name.substring(0, 8);
        }
    }

    private final Repository repo;
    private final Map<BlobId, Tree> trees = new ConcurrentHashMap<>();

    public Generations(Repository repo) {
        this.repo = repo;
    }

    /** Every generation, oldest first. */
    public List<Named> list() throws IOException {
        List<Named> out = new ArrayList<>();
        for (Backend.StoredObject o : repo.backend().list(ObjectKind.SNAPSHOT)) {
            out.add(new Named(o.name(), repo.loadObject(ObjectKind.SNAPSHOT, o.name(), Snapshot.class)));
        }
        out.sort(Comparator.comparing((Named n) -> n.snapshot().time()).thenComparing(Named::name));
        return out;
    }

    /**
     * Finds a generation by {@code latest}, a full name or a unique prefix of at least 4 characters.
     *
     * @throws IOException naming what was asked for if there is no such generation or several
     */
    public Named resolve(String spec) throws IOException {
        List<Named> all = list();
        if (spec.equals("latest")) {
            if (all.isEmpty()) {
                throw new IOException("the repository has no generation yet");
            }
            return all.get(all.size() - 1);
        }
        if (spec.length() < 4) {
            throw new IOException("generation \"" + spec + "\": give at least 4 characters of its name, or latest");
        }
        List<Named> matches =
                all.stream().filter(n -> n.name().startsWith(spec)).toList();
        if (matches.isEmpty()) {
            throw new IOException("no generation named " + spec);
        }
        if (matches.size() > 1) {
            throw new IOException("generation name " + spec + " is ambiguous; give more characters");
        }
        return matches.get(0);
    }

    public Tree tree(String id) throws IOException {
        BlobId blob = BlobId.parse(id);
        Tree cached = trees.get(blob);
        if (cached != null) {
            return cached;
        }
        Tree tree = load(id);
        if (trees.size() < 10_000) {
            trees.put(blob, tree);
        }
        return tree;
    }

    /** Reads a tree without keeping it: for walks that visit each tree once. */
    public Tree load(String id) throws IOException {
        BlobId blob = BlobId.parse(id);
        repo.loadIndex();
        byte[] json = repo.load(blob);
        try {
            return TreeJson.read(Json.MAPPER, json);
        } catch (IllegalArgumentException e) {
            throw new Crypto.CorruptObjectException(
                    "tree " + blob.shortHex() + ": not the expected JSON (" + e.getMessage() + ")");
        }
    }
}
