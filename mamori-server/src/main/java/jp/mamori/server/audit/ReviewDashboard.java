package jp.mamori.server.audit;

import java.util.List;
import jp.mamori.server.platform.Dashboard;
import org.springframework.stereotype.Component;

/** The start page's card of the periodic review: the last sign-off and the next due date. */
@Component
class ReviewDashboard implements Dashboard {

    private final AccessLogReviews reviews;

    ReviewDashboard(AccessLogReviews reviews) {
        this.reviews = reviews;
    }

    @Override
    public List<Card> cards() {
        List<AccessLogReviews.ReviewPeriod> periods = reviews.periods();
        String last = reviews.lastSignOff()
                .map(r -> r.signedAtJst().toLocalDate().toString())
                .orElse("—");
        // The next due date is that of the oldest period not yet signed off.
        AccessLogReviews.ReviewPeriod next = null;
        String level = "ok";
        for (AccessLogReviews.ReviewPeriod p : periods) {
            if (p.state() != AccessLogReviews.State.SIGNED) {
                next = p;
                if (p.state() == AccessLogReviews.State.OVERDUE) {
                    level = "alert";
                } else if (p.state() == AccessLogReviews.State.DUE && !level.equals("alert")) {
                    level = "warn";
                }
            }
        }
        String due = next == null ? "—" : next.due().toString();
        return List.of(new Card(
                "review.card.title",
                last + " / " + due,
                level.equals("alert") ? "review.card.overdue" : "review.card.note",
                "/audit/review",
                level));
    }
}
