package jp.mamori.backup.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.BlobEntry;
import jp.mamori.backup.repository.BlobId;
import jp.mamori.backup.repository.IndexFile;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Packs;
import jp.mamori.backup.repository.Repository;
import jp.mamori.backup.snapshot.Node;
import jp.mamori.backup.snapshot.Tree;

/**
 * Checks a repository: every index file opens, every pack it names exists with the right size,
 * every generation opens and every tree and chunk it refers to is indexed. With {@code readData},
 * also reads packs back — all, or a share chosen at random — and checks each pack's hash, its header
 * and every blob against its keyed ID. Every problem names the object it is in.
 */
public final class Check {

    /**
     * @param readData read packs back
     * @param subset share of packs to read (0 < subset ≤ 1), chosen at random
     */
    public record Options(boolean readData, double subset, int workers) {
        public static Options structure() {
            return new Options(false, 1, Runtime.getRuntime().availableProcessors());
        }

        public static Options readAll() {
            return new Options(true, 1, Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * @param errors damage found; a healthy repository has none
     * @param warnings things that are not damage, such as packs left by an interrupted backup
     */
    public record Result(
            long generations,
            long packs,
            long blobs,
            long packsRead,
            long bytesRead,
            List<String> errors,
            List<String> warnings) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private final Repository repo;
    private final Progress progress;

    public Check(Repository repo, Progress progress) {
        this.repo = repo;
        this.progress = progress;
    }

    public Result run(Options o) throws IOException {
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> warnings = new ArrayList<>();
        Backend backend = repo.backend();

        Map<String, Long> stored = new HashMap<>();
        for (Backend.StoredObject p : backend.list(ObjectKind.PACK)) {
            stored.put(p.name(), p.size());
        }
        Map<BlobId, BlobEntry> index = new HashMap<>();
        Map<String, List<BlobEntry>> packs = new HashMap<>();
        for (Backend.StoredObject f : backend.list(ObjectKind.INDEX)) {
            IndexFile file;
            try {
                file = IndexFile.open(repo.crypto(), f.name(), backend.read(ObjectKind.INDEX, f.name()));
            } catch (IOException e) {
                errors.add(e.getMessage());
                continue;
            }
            for (var p : file.packs().entrySet()) {
                packs.putIfAbsent(p.getKey(), p.getValue());
                for (BlobEntry e : p.getValue()) {
                    index.putIfAbsent(e.id(), e);
                }
            }
        }
        for (var p : packs.entrySet()) {
            Long size = stored.get(p.getKey());
            if (size == null) {
                errors.add("pack " + p.getKey() + " is in the index but missing from the repository");
                continue;
            }
            long end = 0;
            for (BlobEntry e : p.getValue()) {
                end = Math.max(end, e.offset() + (long) e.length());
            }
            if (size < end + 4) {
                errors.add("pack " + p.getKey() + " is " + size + " bytes, too short for its blobs: truncated");
            }
        }
        for (String pack : stored.keySet()) {
            if (!packs.containsKey(pack)) {
                warnings.add("pack " + pack + " is in no index (left by an interrupted backup); prune removes it");
            }
        }

        Generations generations = new Generations(repo);
        Set<BlobId> seenTrees = new HashSet<>();
        long count = 0;
        for (Backend.StoredObject s : backend.list(ObjectKind.SNAPSHOT)) {
            count++;
            try {
                var snapshot = repo.loadObject(ObjectKind.SNAPSHOT, s.name(), jp.mamori.backup.snapshot.Snapshot.class);
                checkTree(
                        generations,
                        snapshot.tree(),
                        "generation " + s.name().substring(0, 8),
                        index,
                        seenTrees,
                        errors);
            } catch (IOException e) {
                errors.add(e.getMessage());
            }
        }

        long packsRead = 0;
        long bytesRead = 0;
        if (o.readData()) {
            List<String> chosen = new ArrayList<>(stored.keySet());
            java.util.Collections.sort(chosen);
            if (o.subset() < 1) {
                java.util.Collections.shuffle(chosen, new Random());
                chosen = chosen.subList(0, (int) Math.ceil(chosen.size() * o.subset()));
            }
            long total = 0;
            for (String p : chosen) {
                total += stored.get(p);
            }
            progress.total(chosen.size(), total);
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, o.workers()));
            try {
                List<Future<Long>> results = new ArrayList<>();
                for (String p : chosen) {
                    results.add(pool.submit(() -> readPack(p, packs.get(p), errors)));
                }
                for (Future<Long> f : results) {
                    bytesRead += f.get();
                    packsRead++;
                }
            } catch (Exception e) {
                throw new IOException("check failed: " + e.getMessage(), e);
            } finally {
                pool.shutdownNow();
            }
            progress.done();
        }
        return new Result(count, stored.size(), index.size(), packsRead, bytesRead, List.copyOf(errors), warnings);
    }

    private void checkTree(
            Generations generations,
            String treeId,
            String where,
            Map<BlobId, BlobEntry> index,
            Set<BlobId> seen,
            List<String> errors) {
        BlobId id = BlobId.parse(treeId);
        if (!seen.add(id)) {
            return;
        }
        if (!index.containsKey(id)) {
            errors.add(where + ": tree " + id.shortHex() + " is in no index");
            return;
        }
        Tree tree;
        try {
            tree = generations.tree(treeId);
        } catch (IOException e) {
            errors.add(where + ": " + e.getMessage());
            return;
        }
        for (Node n : tree.nodes()) {
            String path = where + "/" + n.name();
            if (n.isDir() && n.subtree() != null) {
                checkTree(generations, n.subtree(), path, index, seen, errors);
            } else if (n.isFile() && n.content() != null) {
                for (String c : n.content()) {
                    if (!index.containsKey(BlobId.parse(c))) {
                        errors.add(path + ": chunk " + c.substring(0, 12) + " is in no index");
                    }
                }
            }
        }
    }

    private long readPack(String pack, List<BlobEntry> indexed, List<String> errors) {
        byte[] bytes;
        try {
            bytes = repo.backend().read(ObjectKind.PACK, pack);
        } catch (IOException e) {
            errors.add("pack " + pack + ": cannot be read (" + e.getMessage() + ")");
            return 0;
        }
        try {
            if (!Repository.sha256(bytes).equals(pack)) {
                errors.add("pack " + pack + ": content does not match its name (altered or damaged)");
            }
            List<BlobEntry> header = Packs.readHeader(repo.crypto(), pack, bytes);
            for (BlobEntry e : header) {
                repo.open(e, bytes, e.offset());
            }
            if (indexed != null && !new HashSet<>(header).containsAll(indexed)) {
                errors.add("pack " + pack + ": its header does not match the index");
            }
        } catch (IOException e) {
            errors.add(e.getMessage());
        }
        progress.file();
        progress.bytes(bytes.length);
        return bytes.length;
    }
}
