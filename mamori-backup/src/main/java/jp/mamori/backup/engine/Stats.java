package jp.mamori.backup.engine;

import java.io.IOException;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.BlobEntry;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;

/** How big a repository is, and how much deduplication and compression saved. */
public final class Stats {

    /**
     * @param logicalBytes the sum of every generation's content size: what plain copies would take
     * @param uniqueBytes the plaintext bytes of distinct blobs
     * @param storedBytes the bytes of every object in the repository
     */
    public record Result(
            long generations, long packs, long blobs, long logicalBytes, long uniqueBytes, long storedBytes) {
        public double savedRatio() {
            return storedBytes == 0 ? 0 : (double) logicalBytes / storedBytes;
        }
    }

    private final Repository repo;

    public Stats(Repository repo) {
        this.repo = repo;
    }

    public Result run() throws IOException {
        repo.loadIndex();
        long logical = 0;
        var all = new Generations(repo).list();
        for (var g : all) {
            logical += g.snapshot().stats().bytes();
        }
        long unique = 0;
        long blobs = 0;
        for (BlobEntry e : repo.allBlobs()) {
            unique += e.rawLength();
            blobs++;
        }
        long stored = 0;
        long packs = 0;
        for (ObjectKind kind : ObjectKind.values()) {
            for (Backend.StoredObject o : repo.backend().list(kind)) {
                stored += o.size();
                if (kind == ObjectKind.PACK) {
                    packs++;
                }
            }
        }
        return new Result(all.size(), packs, blobs, logical, unique, stored);
    }
}
