package jp.mamori.server.audit;

import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** {@link AccessLogReviewRecords} from the stored sign-offs and the report they print as. */
@Component
class PrintedReviews implements AccessLogReviewRecords {

    private final AccessLogReviews reviews;
    private final ReviewReport report;

    PrintedReviews(AccessLogReviews reviews, ReviewReport report) {
        this.reviews = reviews;
        this.report = report;
    }

    @Override
    public Optional<PrintedReview> latestSignedOff() {
        return reviews.lastSignOff()
                .map(r -> new PrintedReview(
                        r.id(), r.start(), r.lastDay(), r.reviewer(), r.signedAt(), report.pdf(r, Locale.JAPANESE)));
    }
}
