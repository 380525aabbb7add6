package jp.mamori.server.governance;

import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The latest signed-off account review (アカウント棚卸し, 2-④ and 2-⑤) as PDF. */
@Component
@Order(30)
class AccountReviewPackPart implements InspectionPackPart {

    private final AccountReviews reviews;
    private final AccountReviewExport export;

    AccountReviewPackPart(AccountReviews reviews, AccountReviewExport export) {
        this.reviews = reviews;
        this.export = export;
    }

    @Override
    public String title() {
        return "アカウント棚卸し記録";
    }

    @Override
    public String whenMissing() {
        return "署名済みのアカウント棚卸しがありません";
    }

    @Override
    public List<PackFile> render(Request request) {
        return reviews.latestSignedOff()
                .map(r -> List.of(new PackFile(
                        "アカウント棚卸し_" + r.asOf() + ".pdf",
                        export.pdf(r, reviews.rows(r.id())),
                        "基準日 " + r.asOf() + "、署名 " + r.signOff().signedByName(),
                        r.signOff().signedAt())))
                .orElse(List.of());
    }
}
