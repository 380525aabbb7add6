package jp.mamori.server.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jp.mamori.server.platform.Dashboard;
import org.springframework.stereotype.Component;

/** The backup card on the start page: the newest generation's age, and any alarm. */
@Component
class BackupDashboard implements Dashboard {

    private final RecordedBackups recorded;
    private final Clock clock;

    BackupDashboard(RecordedBackups recorded, Clock clock) {
        this.recorded = recorded;
        this.clock = clock;
    }

    @Override
    public List<Card> cards() {
        List<BackupEvidence.Repository> repos = recorded.repositories();
        if (repos.isEmpty()) {
            return List.of(new Card("dash.backup.title", "—", "dash.backup.none", "/backup", "warn"));
        }
        Instant newest = null;
        long suspects = 0;
        boolean errors = false;
        for (var r : repos) {
            suspects += r.suspects();
            errors |= r.lastError() != null;
            for (var d : r.datasets()) {
                if (newest == null || d.newest().isAfter(newest)) {
                    newest = d.newest();
                }
            }
        }
        if (suspects > 0) {
            return List.of(
                    new Card("dash.backup.title", String.valueOf(suspects), "dash.backup.suspect", "/backup", "alert"));
        }
        if (newest == null) {
            return List.of(new Card("dash.backup.title", "—", "dash.backup.empty", "/backup", "warn"));
        }
        long hours = Duration.between(newest, clock.instant()).toHours();
        String level = errors || hours > 26 ? "warn" : "ok";
        return List.of(new Card(
                "dash.backup.title",
                hours + " h",
                errors ? "dash.backup.error" : "dash.backup.note",
                "/backup",
                level));
    }
}
