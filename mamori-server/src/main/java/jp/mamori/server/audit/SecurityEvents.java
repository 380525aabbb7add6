package jp.mamori.server.audit;

import java.util.List;

/** The door into the access log for authentication and administrative events. */
public interface SecurityEvents {

    /** Stores the event durably before returning. */
    void record(SecurityEvent event);

    /** The newest events first, at most {@code limit}. */
    List<StoredSecurityEvent> latest(int limit);

    /** The newest events of one account first, at most {@code limit}. */
    List<StoredSecurityEvent> latestOf(long accountId, int limit);
}
