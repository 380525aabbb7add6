package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.mamori.auditlog.export.ExportVerifier;
import jp.mamori.auditlog.export.VerificationResult;
import jp.mamori.server.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends from many threads at once are committed together (group commit): each caller's entries
 * stay contiguous and in order, one caller's entry that the database refuses fails that caller only,
 * and a caller's own transaction that rolls back leaves nothing behind, not even in the tile cache.
 */
class GroupCommitTest extends ServerTest {

    @Autowired
    FacilityLog log;

    @Autowired
    AuditExport export;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    @TempDir
    Path tmp;

    private static FacilityLog.Entry entry(String loginId, int n) {
        byte[] json = ("{\"kind\":\"test\",\"login\":\"" + loginId.replace("\u0000", "\\u0000") + "\",\"n\":" + n + "}")
                .getBytes(StandardCharsets.UTF_8);
        return new FacilityLog.Entry(
                Instant.parse("2026-11-23T01:00:00Z"),
                "test",
                "GROUP",
                "SUCCESS",
                null,
                loginId,
                null,
                null,
                null,
                json);
    }

    private static List<FacilityLog.Entry> batch(String loginId, int size) {
        List<FacilityLog.Entry> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            entries.add(entry(loginId, i));
        }
        return entries;
    }

    private List<String> loginsAt(long from, int count) {
        return jdbc.sql("SELECT login_id FROM audit_event WHERE log_id = ? AND leaf_index >= ? AND leaf_index < ?"
                        + " ORDER BY leaf_index")
                .params(log.id(), from, from + count)
                .query(String.class)
                .list();
    }

    private VerificationResult exportAndVerify(String name) {
        Path dir = tmp.resolve(name);
        try {
            export.writeTo(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ExportVerifier.verify(dir);
    }

    @Test
    void concurrent_batches_are_each_contiguous_and_the_log_verifies() throws Exception {
        int threads = 8;
        int rounds = 5;
        int size = 60;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<long[]>>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String who = "group-" + t;
            running.add(pool.submit(() -> {
                start.await();
                List<long[]> answers = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    answers.add(log.append(batch(who + "-" + r, size)));
                }
                return answers;
            }));
        }
        start.countDown();
        Set<Long> seen = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            List<long[]> answers = running.get(t).get();
            for (int r = 0; r < rounds; r++) {
                long[] indexes = answers.get(r);
                assertThat(indexes).hasSize(size);
                for (int i = 0; i < size; i++) {
                    assertThat(indexes[i]).isEqualTo(indexes[0] + i);
                    assertThat(seen.add(indexes[i])).isTrue();
                }
                // What is stored at those indexes is this caller's batch, in its order.
                assertThat(loginsAt(indexes[0], size)).containsOnly("group-" + t + "-" + r);
            }
        }
        pool.shutdown();
        assertThat(exportAndVerify("concurrent").ok()).isTrue();
    }

    @Test
    void an_entry_the_database_refuses_fails_its_own_batch_only() throws Exception {
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<long[]>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<FacilityLog.Entry> entries = batch("refuse-" + t, 40);
            if (t == 3) {
                // PostgreSQL text cannot hold U+0000: the whole batch of this caller is refused.
                entries.set(20, entry("refuse-\u0000-bad", 20));
            }
            running.add(pool.submit(() -> {
                start.await();
                return log.append(entries);
            }));
        }
        start.countDown();
        for (int t = 0; t < threads; t++) {
            if (t == 3) {
                Future<long[]> bad = running.get(t);
                assertThatThrownBy(bad::get).hasMessageContaining("access events failed");
            } else {
                long[] indexes = running.get(t).get();
                assertThat(loginsAt(indexes[0], 40)).hasSize(40).containsOnly("refuse-" + t);
            }
        }
        pool.shutdown();
        // Nothing of the refused batch, not even its good entries, was stored.
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE login_id = 'refuse-3'")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(exportAndVerify("refused").ok()).isTrue();
    }

    @Test
    void an_append_inside_a_transaction_that_rolls_back_leaves_no_tiles_behind() {
        // Enough entries to fill tiles, so that a wrong tile in the cache would be read again.
        tx.executeWithoutResult(status -> {
            log.append(batch("rolled-back", 300));
            status.setRollbackOnly();
        });
        long[] after = log.append(batch("after-rollback", 300));
        assertThat(loginsAt(after[0], 300)).containsOnly("after-rollback");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE login_id = 'rolled-back'")
                        .query(Long.class)
                        .single())
                .isZero();
        VerificationResult result = exportAndVerify("rollback");
        assertThat(result.ok()).as(result.toString()).isTrue();
    }
}
