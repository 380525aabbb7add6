package jp.mamori.server.governance;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One form of the checklist for one fiscal year (年度), as the ministry published it.
 *
 * @param fiscalYear the Western year in which the fiscal year starts (2025 = 令和7年度)
 * @param label the Japanese name of the fiscal year
 * @param form which sheet: 医療機関確認用, 薬局確認用 or 事業者確認用
 * @param title the sheet's Japanese title
 * @param gate the first question (医療情報システムを導入、運用している); いいえ there means nothing else needs
 *     answering. The vendor sheet has none.
 * @param items the items in the sheet's order
 */
record Checklist(int fiscalYear, String label, Form form, String title, @Nullable Item gate, List<Item> items) {

    /** The sheets: for hospitals and clinics, for pharmacies, for each vendor. */
    enum Form {
        MEDICAL,
        PHARMACY,
        VENDOR
    }

    /**
     * The answer columns of an item: サーバ, 端末PC, ネットワーク機器, or one answer for 医療情報システム全般
     * (ALL), or one answer where the sheet names no target (NONE).
     */
    enum Target {
        S,
        P,
        N,
        ALL,
        NONE
    }

    /** The number the gate question is stored under. */
    static final String GATE = "0";

    /**
     * @param number as printed on the sheet, e.g. 2-⑤ (R7) or 2-(5) (R6)
     * @param text the Japanese item text
     * @param gloss an English gloss, ours
     * @param targets the answer columns
     * @param r6 the number of the same item in the 令和6年度 sheet, if any
     * @param verified whether the text was found word for word in the cited source; otherwise it is
     *     shown as 「文言未確認」
     * @param source where the text comes from
     */
    record Item(
            String number,
            String text,
            String gloss,
            List<Target> targets,
            @Nullable String r6,
            boolean verified,
            String source) {}

    /** The first day of the fiscal year (4月1日). */
    public LocalDate firstDay() {
        return LocalDate.of(fiscalYear, 4, 1);
    }

    /** The last day of the fiscal year (3月31日 of the next year). */
    public LocalDate lastDay() {
        return LocalDate.of(fiscalYear + 1, 3, 31);
    }

    boolean within(LocalDate day) {
        return !day.isBefore(firstDay()) && !day.isAfter(lastDay());
    }

    /** The item with that number, the gate question included. */
    Optional<Item> item(String number) {
        if (GATE.equals(number)) {
            return Optional.ofNullable(gate);
        }
        return items.stream().filter(i -> i.number().equals(number)).findFirst();
    }

    /** Number of answer cells, the gate not counted. */
    int cellCount() {
        return items.stream().mapToInt(i -> i.targets().size()).sum();
    }
}
