package jp.mamori.server.audit;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The times in which vendors are approved to work on remote-maintenance lines (保守作業の承認時間帯).
 * The governance module keeps them in its connections register and provides this; the access-log
 * review asks, to tell a vendor's access inside an approved window from one outside it.
 */
public interface ApprovedMaintenance {

    /** Every approved window that overlaps [{@code from}, {@code to}), as concrete intervals. */
    List<ApprovedWindow> windows(Instant from, Instant to);

    /**
     * One occurrence of an approved window.
     *
     * @param line the connection (回線) it belongs to
     * @param loginIds the vendor accounts that may work in it, in lower case
     * @param reference the work plan (作業計画) it was approved for, if any
     */
    record ApprovedWindow(String line, Set<String> loginIds, Instant start, Instant end, @Nullable String reference) {}
}
