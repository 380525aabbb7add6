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
     * Appends the entries in order, in one transaction; returns the leaf index of each, or {@link
     * #DUPLICATE} for an entry whose source event is already stored (or appears earlier in the list).
     * When this returns, the events are committed.
     */
    long[] append(List<Entry> entries) {
        Loaded log = log();
        List<jp.mamori.auditlog.Tile> written = new ArrayList<>();
        long[] result = new long[entries.size()];
        tx.executeWithoutResult(status -> {
            long size = lockAndReadSize(log.id());
            written.clear();
            List<Entry> fresh = withoutStored(log.id(), entries, result);
            if (fresh.isEmpty()) {
                return;
            }
            MerkleLog tree = new MerkleLog(cache.over(new PgTileStore(jdbc, log.id()), log.id(), written), size);
            List<byte[]> leaves = new ArrayList<>(fresh.size());
            for (Entry e : fresh) {
                leaves.add(e.canonicalJson());
            }
            long index;
            try {
                index = tree.append(leaves);
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
        });
        cache.publish(log.id(), written);
        return result;
    }

    /**
     * The entries whose source event is not stored yet; marks the others in {@code result}. Runs under
     * the sequencer lock, so no other append can store the same source event in between.
     */
    private List<Entry> withoutStored(int logId, List<Entry> entries, long[] result) {
        java.util.Map<String, java.util.Set<String>> named = new java.util.HashMap<>();
        for (Entry e : entries) {
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
        List<Entry> fresh = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.sourceEventId() != null && !stored.add(system(e) + "\n" + e.sourceEventId())) {
                result[i] = DUPLICATE;
            } else {
                fresh.add(e);
            }
        }
        return fresh;
    }

    private static String system(Entry e) {
        return e.sourceSystem() == null ? "" : e.sourceSystem();
    }

    private void rememberSourceEvents(int logId, long firstIndex, List<Entry> entries) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
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
    private void copyEvents(int logId, long firstIndex, List<Entry> entries) {
        StringBuilder text = new StringBuilder(entries.size() * 1200);
        long i = firstIndex;
        for (Entry e : entries) {
            text.append(logId)
                    .append('\t')
                    .append(i++)
                    .append('\t')
                    .append(e.recordedAt())
                    .append('\t');
            copyField(text, e.kind());
            copyField(text, e.type());
            copyField(text, e.outcome());
            copyField(text, e.accountId() == null ? null : e.accountId().toString());
            copyField(text, e.loginId());
            copyField(text, e.terminalId() == null ? null : e.terminalId().toString());
            copyField(text, e.sourceAddress());
            copyField(text, e.patientId());
            copyField(text, e.sourceAt() == null ? null : e.sourceAt().toString());
            copyField(text, e.sourceSystem());
            copyField(text, e.skewed() ? "t" : "f");
            copyValue(text, new String(e.canonicalJson(), java.nio.charset.StandardCharsets.UTF_8));
            text.append('\n');
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
                            new java.io.StringReader(text.toString()));
        } catch (java.sql.SQLException | IOException e) {
            throw new IllegalStateException(
                    "Storing " + entries.size() + " access events failed: " + e.getMessage(), e);
        } finally {
            org.springframework.jdbc.datasource.DataSourceUtils.releaseConnection(c, batch.getDataSource());
        }
    }

    private static void copyField(StringBuilder out, @Nullable String value) {
        if (value == null) {
            out.append("\\N");
        } else {
            copyValue(out, value);
        }
        out.append('\t');
    }

    /** COPY text format: backslash, tab, newline and carriage return escaped. */
    private static void copyValue(StringBuilder out, String value) {
        for (int k = 0; k < value.length(); k++) {
            char ch = value.charAt(k);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
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
