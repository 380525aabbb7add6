package jp.mamori.server.governance;

import java.util.List;
import jp.mamori.server.platform.Dashboard;
import org.springframework.stereotype.Component;

/** The start page's card for the account review: when the next one is due, red once it is overdue. */
@Component
class AccountReviewDashboard implements Dashboard {

    private final AccountReviews reviews;

    AccountReviewDashboard(AccountReviews reviews) {
        this.reviews = reviews;
    }

    @Override
    public List<Card> cards() {
        AccountReviews.Schedule s = reviews.schedule();
        return List.of(new Card(
                "dash.accountreview.title",
                s.due() == null ? "—" : s.due().toString(),
                "dash.accountreview." + s.state().name(),
                "/governance/account-review",
                switch (s.state()) {
                    case OK -> "ok";
                    case NEVER, SOON -> "warn";
                    case OVERDUE -> "alert";
                }));
    }
}
