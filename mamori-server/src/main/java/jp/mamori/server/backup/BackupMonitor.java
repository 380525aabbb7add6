package jp.mamori.server.backup;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jp.mamori.backup.engine.Drill;
import jp.mamori.backup.engine.Generations;
import jp.mamori.backup.engine.Progress;
import jp.mamori.backup.repository.Repository;
import jp.mamori.backup.snapshot.Snapshot;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads every watched repository every quarter of an hour (and on demand): records the generations
 * and drills it holds, notes those that were forgotten, and announces a generation the ransomware
 * guard marked suspect the first time it is seen.
 */
@Service
class BackupMonitor {

    private static final Logger log = LoggerFactory.getLogger(BackupMonitor.class);

    private final WatchedRepositories repositories;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher publisher;
    private final SecurityEvents events;

    BackupMonitor(
            WatchedRepositories repositories,
            JdbcClient jdbc,
            TransactionTemplate tx,
            ApplicationEventPublisher publisher,
            SecurityEvents events) {
        this.repositories = repositories;
        this.jdbc = jdbc;
        this.tx = tx;
        this.publisher = publisher;
        this.events = events;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${mamori.backup.check-every:PT15M}")
    void checkAll() {
        for (WatchedRepositories.Watched w : repositories.all()) {
            check(w);
        }
    }

    /** Reads one repository; a failure is recorded on it, not thrown. */
    synchronized void check(WatchedRepositories.Watched w) {
        List<Generations.Named> generations;
        List<Drill.Stored> drills;
        Repository repo;
        try {
            repo = repositories.opened(w);
            generations = new Generations(repo).list();
            drills = new Drill(repo, Progress.SILENT).list();
        } catch (IOException | RuntimeException e) {
            repositories.forget(w.id());
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            log.warn("backup repository {} could not be read: {}", w.name(), message);
            jdbc.sql("UPDATE backup_repository SET checked_at = now(), last_error = ? WHERE id = ?")
                    .params(message, w.id())
                    .update();
            return;
        }
        tx.executeWithoutResult(status -> record(w, repo, generations, drills));
    }

    private void record(
            WatchedRepositories.Watched w,
            Repository repo,
            List<Generations.Named> generations,
            List<Drill.Stored> drills) {
        Set<String> present = new HashSet<>();
        for (Generations.Named g : generations) {
            present.add(g.name());
            Snapshot s = g.snapshot();
            List<String> reasons = s.guard() == null ? List.of() : s.guard().reasons();
            int inserted = jdbc.sql(
                            """
                            INSERT INTO backup_generation (repository_id, name, taken_at, kind, host, paths, files,
                                bytes, bytes_added, suspect, reasons)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                    .params(
                            w.id(),
                            g.name(),
                            Timestamp.from(s.time()),
                            s.kind(),
                            s.host(),
                            String.join(" ", s.paths()),
                            s.stats().files(),
                            s.stats().bytes(),
                            s.stats().bytesAdded(),
                            s.suspect(),
                            String.join("; ", reasons))
                    .update();
            if (inserted == 1 && s.suspect()) {
                publisher.publishEvent(
                        new SuspectGenerationFound(w.name(), g.name(), s.kind(), s.host(), s.time(), reasons));
                events.record(SecurityEvent.failure(SecurityEventType.BACKUP_SUSPECT)
                        .detail("repository", w.name())
                        .detail("generation", g.name())
                        .detail("kind", s.kind())
                        .detail("host", s.host())
                        .build());
            }
        }
        List<String> known = jdbc.sql("SELECT name FROM backup_generation WHERE repository_id = ? AND gone_at IS NULL")
                .param(w.id())
                .query(String.class)
                .list();
        List<String> gone = new ArrayList<>(known);
        gone.removeAll(present);
        for (String name : gone) {
            jdbc.sql("UPDATE backup_generation SET gone_at = now() WHERE repository_id = ? AND name = ?")
                    .params(w.id(), name)
                    .update();
        }
        for (Drill.Stored d : drills) {
            Drill.Record r = d.record();
            jdbc.sql(
                            """
                            INSERT INTO backup_drill (repository_id, name, generation, generation_kind, started_at,
                                seconds, files, bytes, passed, signature_valid)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                    .params(
                            w.id(),
                            d.name(),
                            r.generation(),
                            r.kind(),
                            Timestamp.from(r.started()),
                            r.seconds(),
                            r.files(),
                            r.bytes(),
                            r.passed(),
                            r.verify(repo.keys().verifyingKey()))
                    .update();
        }
        jdbc.sql(
                        """
                        UPDATE backup_repository SET checked_at = ?, last_error = NULL, key_role = ?, lock_days = ?
                        WHERE id = ?""")
                .params(
                        Timestamp.from(Instant.now()),
                        repo.key().role(),
                        repo.config().lockDays(),
                        w.id())
                .update();
    }
}
