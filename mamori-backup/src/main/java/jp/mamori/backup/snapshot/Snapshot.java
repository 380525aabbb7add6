package jp.mamori.backup.snapshot;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A generation (世代): one backup run's manifest, stored sealed under {@code snapshots/}.
 *
 * @param time when the backup started
 * @param host the machine it ran on
 * @param paths what was backed up (absolute paths, or {@code -} for standard input)
 * @param tags free labels
 * @param kind the dataset kind: {@code ehr-db}, {@code ssmix2}, {@code documents}, {@code system}
 *     or {@code other}
 * @param tree the root tree blob: one entry per backed-up path
 * @param parent the generation it was compared with, if any
 * @param guard what the ransomware guard found
 */
public record Snapshot(
        Instant time,
        String host,
        List<String> paths,
        List<String> tags,
        String kind,
        String tree,
        @Nullable String parent,
        Stats stats,
        @Nullable GuardReport guard,
        String program) {

    public static final List<String> KINDS = List.of("ehr-db", "ssmix2", "documents", "system", "other");

    public boolean suspect() {
        return guard != null && guard.suspect();
    }

    /**
     * @param files files in the generation
     * @param dirs directories in the generation
     * @param bytes content bytes in the generation
     * @param filesNew files not in the parent
     * @param filesChanged files whose content was read again
     * @param filesUnchanged files taken from the parent without reading
     * @param bytesRead content bytes read from the source
     * @param bytesAdded bytes added to the repository (packs)
     * @param seconds how long the run took
     * @param warnings files that could not be read or changed while read
     */
    public record Stats(
            long files,
            long dirs,
            long bytes,
            long filesNew,
            long filesChanged,
            long filesUnchanged,
            long bytesRead,
            long bytesAdded,
            double seconds,
            List<String> warnings) {}
}
