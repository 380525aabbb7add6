package jp.mamori.server.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jp.mamori.auditlog.Hashes;
import jp.mamori.auditlog.MerkleLog;
import jp.mamori.auditlog.checkpoint.Checkpoint;
import jp.mamori.auditlog.checkpoint.NoteSigner;
import jp.mamori.auditlog.checkpoint.NoteVerifier;
import jp.mamori.auditlog.checkpoint.SignedNote;
import jp.mamori.server.platform.SecretSealer;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The facility's Merkle log in PostgreSQL. Appends are serialized per log by a transaction-scoped
 * advisory lock, so several server instances share one sequence; an event is acknowledged only
 * after its transaction — event rows, tiles and the new tree size together — has committed.
 */
@Component
class FacilityLog {

    private static final String KEY_PURPOSE = "audit-log-signing-key";

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.JdbcTemplate batch;
    private final TransactionTemplate tx;
    private final SecretSealer sealer;
    private final AuditSettings settings;
    private volatile @Nullable Loaded loaded;
    private final TileCache cache = new TileCache();

    FacilityLog(
            JdbcClient jdbc,
            org.springframework.jdbc.core.JdbcTemplate batch,
            TransactionTemplate tx,
            SecretSealer sealer,
            AuditSettings settings) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.tx = tx;
        this.sealer = sealer;
        this.settings = settings;
    }

    private record Loaded(int id, NoteSigner signer) {}

    /**
     * An event ready to append: its canonical JSON and the columns search uses.
     *
     * @param sourceAt the time the reporting system gave, when it gave one
     * @param sourceSystem the system that reported the event
     * @param sourceEventId the reporting system's own name for this event: an entry with one is stored
     *     at most once per source system, however often it is sent
     * @param skewed the source's clock and Mamori's disagree by more than the configured threshold
     */
    record Entry(
            Instant recordedAt,
            String kind,
            String type,
            String outcome,
            @Nullable Long accountId,
            @Nullable String loginId,
            @Nullable Long terminalId,
            @Nullable String sourceAddress,
            @Nullable String patientId,
            byte[] canonicalJson,
            @Nullable Instant sourceAt,
            @Nullable String sourceSystem,
            @Nullable String sourceEventId,
            boolean skewed) {

        Entry(
                Instant recordedAt,
                String kind,
                String type,
                String outcome,
                @Nullable Long accountId,
                @Nullable String loginId,
                @Nullable Long terminalId,
                @Nullable String sourceAddress,
                @Nullable String patientId,
                byte[] canonicalJson) {
            this(
                    recordedAt,
                    kind,
                    type,
                    outcome,
                    accountId,
                    loginId,
                    terminalId,
                    sourceAddress,
                    patientId,
                    canonicalJson,
                    null,
                    null,
                    null,
                    false);
        }
    }

    /** Marks an entry that was not appended because its source event is already in the log. */
    static final long DUPLICATE = -1;

    /**
     * Appends the entries in order, all or nothing; returns the leaf index of each, or {@link
     * #DUPLICATE} for an entry whose source event is already stored (or appears earlier in the list).
     * When this returns, the events are committed.
     *
     * <p>Appends that arrive while another is being committed wait and are then committed together,
     * in one transaction under the sequencer lock (group commit): each keeps its entries contiguous
     * and in order, and each caller returns only once that transaction has committed. Inside a
     * transaction of the caller's, the entries join that transaction instead, as before.
     */
    long[] append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return new long[0];
        }
        // The leaf hashes and the rows' bytes are made here, in the caller's thread, so that only the
        // database work waits for the sequencer.
        List<Leaf> leaves = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            leaves.add(Leaf.of(e));
        }
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return appendInOneTransaction(List.of(leaves)).get(0);
        }
        Pending mine = new Pending(leaves);
        List<Pending> group;
        synchronized (pending) {
            pending.add(mine);
            while (true) {
                if (mine.done) {
                    return mine.result();
                }
                if (!committing) {
                    break;
                }
                waitUninterruptibly();
            }
            committing = true;
            group = takeGroup(mine);
        }
        try {
            commitGroup(group);
        } finally {
            synchronized (pending) {
                committing = false;
                pending.notifyAll();
            }
        }
        return mine.result();
    }

    /** At most this many events are committed together (bounds a group transaction's memory). */
    private static final int GROUP_EVENTS = 20_000;

    /** Appends waiting to be committed, oldest first; guarded by itself. */
    private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();

    /** Whether a thread is committing a group; guarded by {@link #pending}. */
    private boolean committing;

    /**
     * An entry with its leaf hash and its row in COPY text format after the leaf index (which is known
     * only under the sequencer lock).
     */
    private record Leaf(Entry entry, byte[] hash, byte[] row) {

        static Leaf of(Entry e) {
            CopyText row = new CopyText(e.canonicalJson().length + 256)
                    .ascii(e.recordedAt().toString())
                    .text(e.kind())
                    .text(e.type())
                    .text(e.outcome());
            if (e.accountId() == null) {
                row.nul();
            } else {
                row.number(e.accountId());
            }
            row.text(e.loginId());
            if (e.terminalId() == null) {
                row.nul();
            } else {
                row.number(e.terminalId());
            }
            row.text(e.sourceAddress()).text(e.patientId());
            if (e.sourceAt() == null) {
                row.nul();
            } else {
                row.ascii(e.sourceAt().toString());
            }
            row.text(e.sourceSystem()).ascii(e.skewed() ? "t" : "f").bytes(e.canonicalJson());
            row.endRow();
            return new Leaf(e, Hashes.leafHash(e.canonicalJson()), row.toByteArray());
        }
    }

    /** One caller's entries and, once its group has committed or failed, the outcome. */
    private static final class Pending {
        final List<Leaf> entries;
        volatile boolean done;
        long @Nullable [] indexes;

        @Nullable
        RuntimeException failure;

        Pending(List<Leaf> entries) {
            this.entries = entries;
        }

        long[] result() {
            if (failure != null) {
                throw failure;
            }
            return java.util.Objects.requireNonNull(indexes);
        }
    }

    /** The oldest waiting appends up to {@link #GROUP_EVENTS} events; always includes {@code mine}. */
    private List<Pending> takeGroup(Pending mine) {
        List<Pending> group = new ArrayList<>();
        int events = 0;
        while (!pending.isEmpty()) {
            Pending next = pending.peek();
            if (!group.isEmpty() && events + next.entries.size() > GROUP_EVENTS && group.contains(mine)) {
                break;
            }
            group.add(pending.poll());
            events += next.entries.size();
        }
        return group;
    }

    private void waitUninterruptibly() {
        try {
            pending.wait();
        } catch (InterruptedException e) {
            // The entries may already be on their way into a committing group: wait for the answer,
            // and leave the interrupt for the caller to see.
            Thread.currentThread().interrupt();
            try {
                pending.wait(50);
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Commits a group in one transaction. If it fails and holds more than one caller's entries, each
     * caller's entries are tried alone, so that one caller's bad entry (a value the database refuses)
     * fails that caller only.
     */
    private void commitGroup(List<Pending> group) {
        List<List<Leaf>> lists = new ArrayList<>(group.size());
        for (Pending p : group) {
            lists.add(p.entries);
        }
        try {
            List<long[]> results = appendInOneTransaction(lists);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).indexes = results.get(i);
            }
        } catch (CommitFailed uncertain) {
            // The group may or may not be stored: trying again could store it twice.
            for (Pending p : group) {
                p.failure = uncertain;
            }
        } catch (RuntimeException groupFailed) {
            // Refused before the commit and rolled back: nothing of the group is stored.
            for (Pending p : group) {
                if (group.size() == 1) {
                    p.failure = groupFailed;
                    continue;
                }
                try {
                    p.indexes = appendInOneTransaction(List.of(p.entries)).get(0);
                } catch (RuntimeException alone) {
                    p.failure = alone;
                }
            }
        } finally {
            for (Pending p : group) {
                p.done = true;
            }
        }
    }

    /** The commit itself failed: whether the events are stored is not known. */
    static final class CommitFailed extends IllegalStateException {
        CommitFailed(int events, RuntimeException cause) {
            super(
                    "The commit of " + events + " events failed; whether they were stored is not known: "
                            + cause.getMessage(),
                    cause);
        }
    }

    /**
     * Appends several callers' entries, each list contiguous and in the order given, in one
     * transaction; returns each list's leaf indexes. Committed on return.
     */
    private List<long[]> appendInOneTransaction(List<List<Leaf>> lists) {
        Loaded log = log();
        List<jp.mamori.auditlog.Tile> written = new ArrayList<>();
        List<Leaf> entries = new ArrayList<>();
        for (List<Leaf> l : lists) {
            entries.addAll(l);
        }
        long[] result = new long[entries.size()];
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // The caller's transaction commits later, or rolls back: its tiles may enter the cache
            // only once it has committed.
            appendStatements(log, entries, result, written);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    cache.publish(log.id(), written);
                }
            });
            return List.of(result);
        }
        boolean[] statementsDone = {false};
        try {
            tx.executeWithoutResult(status -> {
                statementsDone[0] = false;
                appendStatements(log, entries, result, written);
                statementsDone[0] = true;
            });
        } catch (RuntimeException e) {
            if (statementsDone[0]) {
                throw new CommitFailed(entries.size(), e);
            }
            throw e;
        }
        cache.publish(log.id(), written);
        List<long[]> out = new ArrayList<>(lists.size());
        int from = 0;
        for (List<Leaf> l : lists) {
            out.add(java.util.Arrays.copyOfRange(result, from, from + l.size()));
            from += l.size();
        }
        return out;
    }

    /** The statements of one append, in the caller's transaction: events, tiles and the tree size. */
    private void appendStatements(
            Loaded log, List<Leaf> entries, long[] result, List<jp.mamori.auditlog.Tile> written) {
        long size = lockAndReadSize(log.id());
        written.clear();
        List<Leaf> fresh = withoutStored(log.id(), entries, result);
        if (fresh.isEmpty()) {
            return;
        }
        MerkleLog tree = new MerkleLog(cache.over(new PgTileStore(jdbc, log.id()), log.id(), written), size);
        List<byte[]> hashes = new ArrayList<>(fresh.size());
        for (Leaf l : fresh) {
            hashes.add(l.hash());
        }
        long index;
        try {
            index = tree.appendLeafHashes(hashes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        copyEvents(log.id(), index, fresh);
        rememberSourceEvents(log.id(), index, fresh);
        jdbc.sql("UPDATE audit_log SET tree_size = ? WHERE id = ?")
                .params(tree.size(), log.id())
                .update();
        long next = index;
        for (int i = 0; i < result.length; i++) {
            if (result[i] != DUPLICATE) {
                result[i] = next++;
            }
        }
    }

    /**
     * The entries whose source event is not stored yet; marks the others in {@code result}. Runs under
     * the sequencer lock, so no other append can store the same source event in between.
     */
    private List<Leaf> withoutStored(int logId, List<Leaf> entries, long[] result) {
        java.util.Map<String, java.util.Set<String>> named = new java.util.HashMap<>();
        for (Leaf l : entries) {
            Entry e = l.entry();
            if (e.sourceEventId() != null) {
                named.computeIfAbsent(system(e), k -> new java.util.HashSet<>()).add(e.sourceEventId());
            }
        }
        java.util.Set<String> stored = new java.util.HashSet<>();
        named.forEach((system, ids) -> jdbc.sql(
                        """
                        SELECT source_event_id FROM audit_source_event
                        WHERE log_id = ? AND source_system = ? AND source_event_id = ANY(?)""")
                .params(logId, system, ids.toArray(String[]::new))
                .query(String.class)
                .list()
                .forEach(id -> stored.add(system + "\n" + id)));
        List<Leaf> fresh = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i).entry();
            if (e.sourceEventId() != null && !stored.add(system(e) + "\n" + e.sourceEventId())) {
                result[i] = DUPLICATE;
            } else {
                fresh.add(entries.get(i));
            }
        }
        return fresh;
    }

    private static String system(Entry e) {
        return e.sourceSystem() == null ? "" : e.sourceSystem();
    }

    private void rememberSourceEvents(int logId, long firstIndex, List<Leaf> entries) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i).entry();
            if (e.sourceEventId() != null) {
                rows.add(new Object[] {logId, system(e), e.sourceEventId(), firstIndex + i});
            }
        }
        if (!rows.isEmpty()) {
            batch.batchUpdate(
                    "INSERT INTO audit_source_event (log_id, source_system, source_event_id, leaf_index) VALUES (?, ?, ?, ?)",
                    rows);
        }
    }

    /**
     * Writes the event rows with PostgreSQL's COPY on the transaction's own connection: the fastest
     * way in, and still part of the one transaction that also holds the tiles and the tree size.
     */
    private void copyEvents(int logId, long firstIndex, List<Leaf> entries) {
        int bytes = 0;
        for (Leaf l : entries) {
            bytes += l.row().length + 24;
        }
        CopyText rows = new CopyText(bytes);
        long i = firstIndex;
        for (Leaf l : entries) {
            rows.number(logId).number(i++).raw(l.row());
        }
        java.sql.Connection c =
                org.springframework.jdbc.datasource.DataSourceUtils.getConnection(batch.getDataSource());
        try {
            c.unwrap(org.postgresql.PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "COPY audit_event (log_id, leaf_index, recorded_at, kind, type, outcome, account_id, login_id,"
                                    + " terminal_id, source_addr, patient_id, source_at, source_system, skewed, body)"
                                    + " FROM STDIN",
                            rows.stream());
        } catch (java.sql.SQLException | IOException e) {
            throw new IllegalStateException(
                    "Storing " + entries.size() + " access events failed: " + e.getMessage(), e);
        } finally {
            org.springframework.jdbc.datasource.DataSourceUtils.releaseConnection(c, batch.getDataSource());
        }
    }

    /**
     * Takes the log's sequencer lock for the rest of the transaction and reads the tree size: one
     * writer per log at a time, across all server instances.
     */
    private long lockAndReadSize(int logId) {
        // An event is acknowledged when this transaction commits, so the commit must wait for the WAL
        // to reach the disk, whatever the server's default: the embedded PostgreSQL starts with
        // synchronous_commit off, which loses the last commits when PostgreSQL itself is killed.
        jdbc.sql("SET LOCAL synchronous_commit TO on").update();
        jdbc.sql("SELECT pg_advisory_xact_lock(?)")
                .param(7_000_000L + logId)
                .query(Object.class)
                .single();
        return jdbc.sql("SELECT tree_size FROM audit_log WHERE id = ?")
                .param(logId)
                .query(Long.class)
                .single();
    }

    /** Signs a checkpoint for the current tree if it grew since the last one. */
    @Scheduled(fixedDelayString = "${mamori.audit.checkpoint-interval:10s}", initialDelayString = "2s")
    void checkpointIfGrown() {
        checkpoint();
    }

    /** Signs and stores a checkpoint of the current tree; returns it (the latest, if nothing changed). */
    @Nullable
    SignedNote checkpoint() {
        Loaded log = log();
        return tx.execute(status -> {
            long size = lockAndReadSize(log.id());
            var latest = jdbc.sql("SELECT note FROM audit_checkpoint WHERE log_id = ? ORDER BY tree_size DESC LIMIT 1")
                    .param(log.id())
                    .query(String.class)
                    .optional();
            if (latest.isPresent() && sizeOf(latest.get()) == size) {
                return parse(latest.get());
            }
            try {
                byte[] root = new MerkleLog(
                                cache.over(new PgTileStore(jdbc, log.id()), log.id(), new ArrayList<>()), size)
                        .root();
                SignedNote note = log.signer().sign(new Checkpoint(settings.origin(), size, root));
                jdbc.sql("INSERT INTO audit_checkpoint (log_id, tree_size, note) VALUES (?, ?, ?)")
                        .params(log.id(), size, note.format())
                        .update();
                jdbc.sql("UPDATE audit_log SET root_hash = ? WHERE id = ?")
                        .params(root, log.id())
                        .update();
                return note;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 signing is not available", e);
            }
        });
    }

    NoteVerifier verifier() {
        return log().signer().verifier();
    }

    int id() {
        return log().id();
    }

    private static long sizeOf(String note) {
        return Long.parseLong(note.split("\n")[1]);
    }

    private static SignedNote parse(String note) {
        try {
            return SignedNote.parse(note);
        } catch (jp.mamori.auditlog.checkpoint.NoteFormatException e) {
            throw new IllegalStateException("A stored checkpoint cannot be read: " + e.getMessage(), e);
        }
    }

    /** The log row and its signing key, created on first use. */
    private Loaded log() {
        Loaded l = loaded;
        if (l != null) {
            return l;
        }
        synchronized (this) {
            if (loaded == null) {
                loaded = tx.execute(status -> loadOrCreate());
            }
            return loaded;
        }
    }

    private Loaded loadOrCreate() {
        String keyName = settings.origin();
        var row = jdbc.sql("SELECT id, signer_sealed FROM audit_log WHERE origin = ?")
                .param(settings.origin())
                .query((rs, n) -> new Object[] {rs.getInt(1), rs.getBytes(2)})
                .optional();
        try {
            if (row.isPresent()) {
                byte[] seed = sealer.open((byte[]) row.get()[1], KEY_PURPOSE);
                return new Loaded((Integer) row.get()[0], NoteSigner.fromSeed(keyName, seed));
            }
            byte[] seed = new byte[32];
            new SecureRandom().nextBytes(seed);
            NoteSigner signer = NoteSigner.fromSeed(keyName, seed);
            int id = jdbc.sql(
                            """
                            INSERT INTO audit_log (origin, signer_sealed, verifier_key, root_hash) VALUES (?, ?, ?, ?)
                            ON CONFLICT (origin) DO NOTHING RETURNING id""")
                    .params(
                            settings.origin(),
                            sealer.seal(seed, KEY_PURPOSE),
                            signer.verifier().format(),
                            Hashes.emptyRoot())
                    .query(Integer.class)
                    .optional()
                    .orElseThrow(() ->
                            new IllegalStateException("Another instance created the log at the same moment; restart"));
            return new Loaded(id, signer);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }
}
