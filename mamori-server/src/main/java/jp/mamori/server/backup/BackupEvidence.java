package jp.mamori.server.backup;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the backups show, for the checklist (3-②) and the dashboard: per repository and dataset kind,
 * how many generations exist, the newest, whether they are locked, and the latest restore drill.
 */
public interface BackupEvidence {

    List<Repository> repositories();

    /**
     * @param locked the repository keeps generations where the operational credentials cannot
     *     delete them (the vault, or S3 with Object Lock)
     * @param lastError why the last check failed, or null
     */
    record Repository(
            String name,
            String location,
            boolean locked,
            @Nullable Instant checkedAt,
            @Nullable String lastError,
            List<Dataset> datasets,
            @Nullable Drill lastDrill,
            long suspects) {}

    /** The generations of one dataset kind in a repository. */
    record Dataset(String kind, long generations, Instant newest, long newestFiles, long newestBytes) {}

    record Drill(Instant startedAt, String generationKind, boolean passed, boolean signatureValid, double seconds) {}
}
