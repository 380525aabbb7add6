package jp.mamori.server.governance;

import java.util.List;
import jp.mamori.server.audit.AccessLogReviewRecords;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The latest signed-off periodic review of the access log (2-⑥) as the audit module prints it. */
@Component
@Order(40)
class AccessLogReviewPackPart implements InspectionPackPart {

    private final AccessLogReviewRecords records;

    AccessLogReviewPackPart(AccessLogReviewRecords records) {
        this.records = records;
    }

    @Override
    public String title() {
        return "アクセスログの定期確認の記録";
    }

    @Override
    public String whenMissing() {
        return "署名済みの定期確認がありません";
    }

    @Override
    public List<PackFile> render(Request request) {
        return records.latestSignedOff()
                .map(r -> List.of(new PackFile(
                        "アクセスログ定期確認_" + r.firstDay() + "_" + r.lastDay() + ".pdf",
                        r.pdf(),
                        "期間 " + r.firstDay() + "〜" + r.lastDay() + "、確認者 " + r.reviewer(),
                        r.signedAt())))
                .orElse(List.of());
    }
}
