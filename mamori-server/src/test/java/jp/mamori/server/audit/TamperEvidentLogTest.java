package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipInputStream;
import jp.mamori.auditlog.export.ExportVerifier;
import jp.mamori.auditlog.export.Problem;
import jp.mamori.auditlog.export.VerificationResult;
import jp.mamori.server.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Changes made directly in the database — as someone with the database's own credentials could —
 * are found by the offline verifier, which names the first bad index. Runs on a database of its own.
 */
@TestPropertySource(properties = "mamori.audit.origin=tamper.test/audit")
class TamperEvidentLogTest extends ServerTest {

    @Autowired
    SecurityEvents events;

    @Autowired
    AuditExport export;

    @Autowired
    FacilityLog log;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    @TempDir
    Path tmp;

    private int exports;

    @BeforeEach
    void fillTheLog() {
        long size = jdbc.sql("SELECT tree_size FROM audit_log WHERE origin = 'tamper.test/audit'")
                .query(Long.class)
                .optional()
                .orElse(0L);
        for (long i = size; i < 40; i++) {
            events.record(SecurityEvent.failure(SecurityEventType.LOGIN)
                    .account(i, "user-" + i)
                    .source("192.0.2." + (i % 200))
                    .detail("reason", "bad_password")
                    .build());
        }
    }

    private VerificationResult exportAndVerify() throws Exception {
        Path dir = tmp.resolve("export-" + exports++);
        export.writeTo(dir);
        return ExportVerifier.verify(dir);
    }

    /** What an attacker with the database's credentials does: triggers off, then the change. */
    private void tamper(String sql, Object... params) {
        tx.executeWithoutResult(s -> {
            jdbc.sql("SET LOCAL session_replication_role = replica").update();
            jdbc.sql(sql).params(params).update();
        });
    }

    private long indexOf(String loginId) {
        return jdbc.sql("SELECT leaf_index FROM audit_event WHERE login_id = ? AND log_id = ?")
                .params(loginId, log.id())
                .query(Long.class)
                .single();
    }

    @Test
    void an_untouched_log_verifies_offline() throws Exception {
        VerificationResult result = exportAndVerify();
        assertThat(result.ok()).as(String.valueOf(result.problem())).isTrue();
        assertThat(result.events()).isGreaterThanOrEqualTo(40);
        assertThat(result.checkpoints()).isPositive();
    }

    @Test
    void the_application_itself_cannot_change_or_delete_an_event() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> jdbc.sql("DELETE FROM audit_event").update())
                .hasMessageContaining("cannot be changed or deleted");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        jdbc.sql("UPDATE audit_event SET outcome = 'SUCCESS'").update())
                .hasMessageContaining("cannot be changed or deleted");
    }

    @Test
    void random_tamperings_are_each_found_at_the_first_changed_index() throws Exception {
        Random random = new Random(20261123);
        List<String> kinds = List.of("change", "delete", "swap", "insert");
        for (String kind : kinds) {
            // Each round starts from a good log: events appended after the last tampering verify again
            // only if nothing is wrong before them, so every round works on a fresh copy of the rows.
            jdbc.sql("DROP TABLE IF EXISTS audit_event_backup").update();
            jdbc.sql("CREATE TABLE audit_event_backup AS SELECT * FROM audit_event")
                    .update();
            long target = 5 + random.nextInt(30);
            String login = jdbc.sql("SELECT login_id FROM audit_event WHERE log_id = ? AND leaf_index = ?")
                    .params(log.id(), target)
                    .query(String.class)
                    .single();
            long expected = target;
            switch (kind) {
                case "change" -> tamper(
                        "UPDATE audit_event SET body = replace(body, '\"bad_password\"', '\"throttled\"') WHERE login_id = ?",
                        login);
                case "delete" -> tamper("DELETE FROM audit_event WHERE login_id = ?", login);
                case "swap" -> {
                    tamper(
                            "UPDATE audit_event SET leaf_index = -1 WHERE log_id = ? AND leaf_index = ?",
                            log.id(),
                            target);
                    tamper(
                            "UPDATE audit_event SET leaf_index = ? WHERE log_id = ? AND leaf_index = ?",
                            target,
                            log.id(),
                            target + 1);
                    tamper(
                            "UPDATE audit_event SET leaf_index = ? WHERE log_id = ? AND leaf_index = -1",
                            target + 1,
                            log.id());
                }
                case "insert" -> {
                    // Make room at the target index, then put a forged event there.
                    tamper(
                            "UPDATE audit_event SET leaf_index = -(leaf_index + 1) WHERE log_id = ? AND leaf_index >= ?",
                            log.id(),
                            target);
                    tamper(
                            "UPDATE audit_event SET leaf_index = -leaf_index WHERE log_id = ? AND leaf_index < 0",
                            log.id());
                    tamper(
                            """
                            INSERT INTO audit_event (log_id, leaf_index, recorded_at, kind, type, outcome, body)
                            SELECT log_id, ?, recorded_at, kind, type, outcome, replace(body, 'bad_password', 'inserted')
                            FROM audit_event WHERE log_id = ? AND leaf_index = ?""",
                            target,
                            log.id(),
                            target + 1);
                }
                default -> throw new IllegalStateException(kind);
            }
            VerificationResult result = exportAndVerify();
            assertThat(result.ok()).as(kind + " at " + target).isFalse();
            Problem problem = result.problem().orElseThrow();
            assertThat(problem.index()).as(kind + ": " + problem).isEqualTo(expected);
            // Put the rows back for the next round.
            tx.executeWithoutResult(s -> {
                jdbc.sql("SET LOCAL session_replication_role = replica").update();
                jdbc.sql("DELETE FROM audit_event").update();
                jdbc.sql("INSERT INTO audit_event SELECT * FROM audit_event_backup")
                        .update();
            });
            assertThat(exportAndVerify().ok()).isTrue();
        }
    }

    @Test
    void the_export_zip_holds_the_events_the_checkpoints_and_the_key() throws Exception {
        Path zip = tmp.resolve("export.zip");
        try (var out = Files.newOutputStream(zip)) {
            export.writeZip(out);
        }
        Path unpacked = tmp.resolve("unpacked");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path f = unpacked.resolve(e.getName());
                Files.createDirectories(f.getParent());
                Files.copy(in, f);
            }
        }
        assertThat(ExportVerifier.verify(unpacked).ok()).isTrue();
    }
}
