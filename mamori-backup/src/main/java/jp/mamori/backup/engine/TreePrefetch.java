package jp.mamori.backup.engine;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import jp.mamori.backup.snapshot.Tree;

/**
 * Loads the trees a depth-first walk is about to need, several at a time. A generation of an SS-MIX2
 * store holds a tree per folder — tens of thousands of small objects, each read, opened, checked and
 * parsed — and loading them one after the other leaves the walk waiting on each.
 *
 * <p>The walk announces a folder's subfolders with {@link #ahead} before it descends into the first
 * of them, and takes each tree with {@link #take}. The workers load in the order of announcement,
 * so they work on the folders the walk will come back to later, while a tree the walk needs before
 * any worker reached it — typically the first subfolder, wanted at once — is loaded by the walk's
 * own thread. At most {@code maxAhead} trees are held, so memory stays bounded however wide the
 * folders are.
 */
final class TreePrefetch implements AutoCloseable {

    private final Generations generations;
    private final ThreadPoolExecutor pool;
    private final Map<String, FutureTask<Tree>> ahead = new ConcurrentHashMap<>();
    private final Semaphore room;

    TreePrefetch(Generations generations, int threads, int maxAhead) {
        this.generations = generations;
        this.room = new Semaphore(maxAhead);
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tree-prefetch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Announces the subtrees of one folder, in the order the walk will visit them. */
    void ahead(List<String> ids) {
        for (String id : ids) {
            if (ahead.containsKey(id) || !room.tryAcquire()) {
                continue;
            }
            FutureTask<Tree> task = new FutureTask<>(() -> generations.load(id));
            if (ahead.putIfAbsent(id, task) != null) {
                room.release();
                continue;
            }
            pool.execute(task);
        }
    }

    /** The tree, from the workers if it was announced, else loaded now. */
    Tree take(String id) throws IOException {
        FutureTask<Tree> task = ahead.remove(id);
        if (task == null) {
            return generations.load(id);
        }
        room.release();
        task.run(); // does nothing if a worker has started it
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading trees");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(
                    "tree " + id.substring(0, Math.min(12, id.length())) + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        ahead.clear();
    }
}
