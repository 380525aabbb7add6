package jp.mamori.server.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** What other modules may know of the access log's state, for the checklist's item on access logs. */
public interface AccessLogFacts {

    /** Events recorded since the given time, all facilities together. */
    long eventsSince(Instant since);

    /** When the newest signed checkpoint was made, or null if none yet. */
    @Nullable
    Instant latestCheckpointAt();
}
