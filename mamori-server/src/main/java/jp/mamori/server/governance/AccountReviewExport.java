package jp.mamori.server.governance;

import static jp.mamori.server.governance.PdfLayout.cell;

import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.pdf.PdfPTable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jp.mamori.server.platform.MamoriProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * An account review as the inspector reads it: CSV (UTF-8 with BOM, for spreadsheet programs) and
 * PDF. Both are in Japanese whatever the reader's language, like the ministry's forms.
 */
@Component
class AccountReviewExport {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final List<String> HEADERS = List.of(
            "ログインID", "氏名", "種別", "職種", "部署", "ロール", "管理者権限", "状態", "状態の変更", "有効期限", "最終サインイン", "二要素", "指摘", "判断", "メモ",
            "無効化済み", "判断者", "判断日時");

    private final MessageSource messages;
    private final String facility;

    AccountReviewExport(MessageSource messages, MamoriProperties properties) {
        this.messages = messages;
        this.facility = properties.facilityName();
    }

    byte[] csv(List<AccountReviews.Row> rows) {
        StringBuilder b = new StringBuilder(Csv.line(HEADERS));
        for (AccountReviews.Row r : rows) {
            b.append(Csv.line(fields(r)));
        }
        byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[BOM.length + body.length];
        System.arraycopy(BOM, 0, out, 0, BOM.length);
        System.arraycopy(body, 0, out, BOM.length, body.length);
        return out;
    }

    byte[] pdf(AccountReviews.Review review, List<AccountReviews.Row> rows) {
        AccountReviews.Tally t = AccountReviews.Tally.of(rows);
        String title = "アカウント棚卸し記録(基準日 " + review.asOf() + ")";
        return PdfLayout.render(PageSize.A4.rotate(), title, 7f, "account review", (doc, f) -> {
            doc.add(new Paragraph(title, f.title()));
            PdfPTable facts = new PdfPTable(new float[] {1, 4});
            facts.setWidthPercentage(60);
            facts.setHorizontalAlignment(0);
            facts.setSpacingBefore(6);
            var sign = review.signOff();
            String[][] lines = {
                {"施設名", facility},
                {"棚卸し番号", "#" + review.id()},
                {"基準日", review.asOf().toString()},
                {"開始", review.startedByName() + "  " + time(review.startedAt())},
                {"署名", sign == null ? "未署名(作業中)" : sign.signedByName() + "  " + time(sign.signedAt())},
                {"所見", sign == null || sign.summary() == null ? "" : sign.summary()},
                {"長期未使用の基準", review.dormantDays() + "日以上サインインなし"},
                {
                    "集計",
                    "アカウント " + t.accounts() + " / 指摘あり " + t.flagged() + " / 継続 " + t.keep() + " / 権限変更 "
                            + t.changeRights() + " / 無効化 " + t.disable() + "(うち棚卸しから無効化 " + t.disabledNow() + ")/ 未判断 "
                            + t.undecided()
                }
            };
            for (String[] line : lines) {
                facts.addCell(cell(line[0], f.bold()));
                facts.addCell(cell(line[1], f.sized(8)));
            }
            doc.add(facts);
            PdfPTable table = new PdfPTable(new float[] {7, 7, 4, 5, 6, 9, 3, 4, 6, 6, 6, 5, 10, 4, 10, 4, 6, 6});
            table.setWidthPercentage(100);
            table.setSpacingBefore(8);
            table.setHeaderRows(1);
            for (String h : HEADERS) {
                table.addCell(cell(h, f.bold()));
            }
            for (AccountReviews.Row r : rows) {
                for (String field : fields(r)) {
                    table.addCell(cell(field, f.body()));
                }
            }
            doc.add(table);
        });
    }

    private List<String> fields(AccountReviews.Row r) {
        var d = r.decision();
        List<String> out = new ArrayList<>();
        out.add(r.loginId());
        out.add(r.displayName());
        out.add(ja("accountreview.kind." + r.kind()));
        out.add(ja("job." + r.jobType()));
        out.add(r.department() == null ? "" : r.department());
        out.add(r.roles());
        out.add(r.administrator() ? "あり" : "");
        out.add(ja("accountreview.status." + r.status()));
        out.add(day(r.statusChangedAt()));
        out.add(day(r.expiresAt()));
        out.add(r.lastLoginAt() == null ? "なし" : day(r.lastLoginAt()));
        out.add(String.join(
                "・",
                r.secondFactors().stream()
                        .map(x -> ja("accountreview.factor." + x))
                        .toList()));
        out.add(String.join(
                "・",
                r.findings().stream().map(x -> ja("accountreview.finding." + x)).toList()));
        out.add(d == null ? "未判断" : ja("accountreview.decision." + d.decision()));
        out.add(d == null || d.note() == null ? "" : d.note());
        out.add(d != null && d.accountDisabled() ? "済" : "");
        out.add(d == null ? "" : d.decidedByName());
        out.add(d == null ? "" : time(d.decidedAt()));
        return out;
    }

    private String ja(String key) {
        return messages.getMessage(key, null, key, Locale.JAPANESE);
    }

    static String day(@Nullable Instant i) {
        return i == null ? "" : i.atZone(Answers.JAPAN).toLocalDate().toString();
    }

    static String time(Instant i) {
        return MINUTE.format(i.atZone(Answers.JAPAN));
    }
}
