package jp.mamori.backup.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.BlobEntry;
import jp.mamori.backup.repository.BlobId;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;
import jp.mamori.backup.snapshot.Node;
import jp.mamori.backup.snapshot.Tree;

/**
 * Frees the space of blobs no generation uses any more. Packs with no used blob are deleted; packs
 * that are mostly unused are rewritten with only their used blobs. The order keeps the repository
 * whole at every step: new packs, then a new index that supersedes all old ones, then the old index
 * files, then the old packs. A crash in between leaves only extra objects, which the next prune
 * removes. Needs an administrator key, and must not run while a backup writes to the repository.
 */
public final class Prune {

    /**
     * @param packsDeleted packs removed whole
     * @param packsRewritten packs whose used blobs were copied into new packs
     * @param bytesFreed bytes of packs removed, less bytes of the new ones
     * @param refused objects the backend would not delete (retention not yet run out)
     */
    public record Result(long packsDeleted, long packsRewritten, long bytesFreed, List<String> refused) {}

    private final Repository repo;
    private final double rewriteAbove;

    /** @param rewriteAbove share of a pack's bytes that must be unused before it is rewritten */
    public Prune(Repository repo, double rewriteAbove) {
        this.repo = repo;
        this.rewriteAbove = rewriteAbove;
    }

    public Result run() throws IOException {
        repo.requireAdmin("prune");
        repo.loadIndex();
        Generations generations = new Generations(repo);
        Set<BlobId> used = new HashSet<>();
        for (Generations.Named g : generations.list()) {
            mark(generations, g.snapshot().tree(), used);
        }
        Map<String, List<BlobEntry>> packs = new LinkedHashMap<>();
        for (BlobEntry e : repo.allBlobs()) {
            packs.computeIfAbsent(e.pack(), k -> new ArrayList<>()).add(e);
        }
        Map<String, Long> stored = new HashMap<>();
        for (Backend.StoredObject p : repo.backend().list(ObjectKind.PACK)) {
            stored.put(p.name(), p.size());
        }
        List<String> delete = new ArrayList<>();
        List<String> rewrite = new ArrayList<>();
        Map<String, List<BlobEntry>> keep = new LinkedHashMap<>();
        for (var p : packs.entrySet()) {
            long total = 0, live = 0;
            for (BlobEntry e : p.getValue()) {
                total += e.length();
                if (used.contains(e.id())) {
                    live += e.length();
                }
            }
            if (live == 0) {
                delete.add(p.getKey());
            } else if (total - live > rewriteAbove * total) {
                rewrite.add(p.getKey());
            } else {
                keep.put(p.getKey(), p.getValue());
            }
        }
        for (String orphan : stored.keySet()) {
            if (!packs.containsKey(orphan)) {
                delete.add(orphan);
            }
        }
        long before = repo.bytesWritten();
        for (String pack : rewrite) {
            for (BlobEntry e : packs.get(pack)) {
                if (used.contains(e.id())) {
                    byte[] plain = repo.load(e.id());
                    repo.forgetBlob(e.id());
                    repo.save(e.type(), e.id(), plain);
                }
            }
        }
        repo.flush();
        long written = repo.bytesWritten() - before;
        // The new index lists every pack that stays: those kept and those just written.
        Map<String, List<BlobEntry>> live = new LinkedHashMap<>(keep);
        for (BlobEntry e : repo.allBlobs()) {
            if (!keep.containsKey(e.pack()) && !rewrite.contains(e.pack()) && !delete.contains(e.pack())) {
                live.computeIfAbsent(e.pack(), k -> new ArrayList<>()).add(e);
            }
        }
        List<String> newIndexes = repo.indexFiles();
        repo.writeIndex(live, newIndexes);
        List<String> refused = new ArrayList<>();
        for (String index : newIndexes) {
            deleteQuietly(ObjectKind.INDEX, index, refused);
        }
        long freed = -written;
        for (String pack : delete) {
            freed += stored.getOrDefault(pack, 0L);
            deleteQuietly(ObjectKind.PACK, pack, refused);
        }
        for (String pack : rewrite) {
            freed += stored.getOrDefault(pack, 0L);
            deleteQuietly(ObjectKind.PACK, pack, refused);
        }
        return new Result(delete.size(), rewrite.size(), freed, refused);
    }

    private void deleteQuietly(ObjectKind kind, String name, List<String> refused) throws IOException {
        try {
            repo.backend().delete(kind, name);
        } catch (Backend.NotPermittedException | Backend.NoSuchObjectException e) {
            refused.add(kind.folder() + "/" + name + ": " + e.getMessage());
        }
    }

    /** Adds every tree and chunk reachable from a tree to {@code used}. */
    static void mark(Generations generations, String treeId, Set<BlobId> used) throws IOException {
        BlobId id = BlobId.parse(treeId);
        if (!used.add(id)) {
            return;
        }
        Tree tree = generations.tree(treeId);
        for (Node n : tree.nodes()) {
            if (n.isDir() && n.subtree() != null) {
                mark(generations, n.subtree(), used);
            } else if (n.content() != null) {
                for (String c : n.content()) {
                    used.add(BlobId.parse(c));
                }
            }
        }
    }
}
