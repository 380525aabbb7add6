package jp.mamori.server.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The printed records of the access log's periodic review (定期確認の記録), for other modules that
 * hand them on, such as the governance module's pack for an on-site inspection. Read-only.
 */
public interface AccessLogReviewRecords {

    /** The most recently signed-off review (a correction counts as a sign-off), printed as PDF. */
    Optional<PrintedReview> latestSignedOff();

    /**
     * @param firstDay first day of the period reviewed
     * @param lastDay last day of the period reviewed
     * @param pdf the same document as {@code /audit/review/report/{id}.pdf}, in Japanese
     */
    record PrintedReview(
            long id, LocalDate firstDay, LocalDate lastDay, String reviewer, Instant signedAt, byte[] pdf) {}
}
