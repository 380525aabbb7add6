package jp.mamori.server.audit;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The national holidays of Japan (国民の祝日) by the Act on National Holidays as in force since 2022:
 * fixed days, the Monday holidays (ハッピーマンデー), the equinoxes, the substitute holiday
 * (振替休日: a holiday on a Sunday moves to the next day that is not a holiday) and the citizens'
 * holiday (国民の休日: a day between two holidays). The equinox days are set each February by the
 * Cabinet Office's announcement; the formula used here is the usual approximation, right for
 * 1980–2099. The one-off changes of 2019–2021 (the enthronement, the Olympic years) are not
 * modelled: the review uses this for recent periods.
 */
final class JapaneseHolidays {

    private JapaneseHolidays() {}

    /** The holidays from {@code from} to {@code to}, both included, in order. */
    static List<LocalDate> between(LocalDate from, LocalDate to) {
        TreeSet<LocalDate> all = new TreeSet<>();
        for (int year = from.getYear(); year <= to.getYear(); year++) {
            all.addAll(ofYear(year));
        }
        return new ArrayList<>(all.subSet(from, true, to, true));
    }

    static TreeSet<LocalDate> ofYear(int year) {
        TreeSet<LocalDate> named = new TreeSet<>();
        named.add(LocalDate.of(year, 1, 1)); // 元日
        named.add(nthMonday(year, Month.JANUARY, 2)); // 成人の日
        named.add(LocalDate.of(year, 2, 11)); // 建国記念の日
        named.add(LocalDate.of(year, 2, 23)); // 天皇誕生日
        named.add(LocalDate.of(year, 3, equinox(year, 20.8431))); // 春分の日
        named.add(LocalDate.of(year, 4, 29)); // 昭和の日
        named.add(LocalDate.of(year, 5, 3)); // 憲法記念日
        named.add(LocalDate.of(year, 5, 4)); // みどりの日
        named.add(LocalDate.of(year, 5, 5)); // こどもの日
        named.add(nthMonday(year, Month.JULY, 3)); // 海の日
        named.add(LocalDate.of(year, 8, 11)); // 山の日
        named.add(nthMonday(year, Month.SEPTEMBER, 3)); // 敬老の日
        named.add(LocalDate.of(year, 9, equinox(year, 23.2488))); // 秋分の日
        named.add(nthMonday(year, Month.OCTOBER, 2)); // スポーツの日
        named.add(LocalDate.of(year, 11, 3)); // 文化の日
        named.add(LocalDate.of(year, 11, 23)); // 勤労感謝の日

        TreeSet<LocalDate> days = new TreeSet<>(named);
        for (LocalDate d : named) {
            if (d.getDayOfWeek() == DayOfWeek.SUNDAY) {
                LocalDate substitute = d.plusDays(1);
                while (days.contains(substitute)) {
                    substitute = substitute.plusDays(1);
                }
                days.add(substitute);
            }
        }
        for (LocalDate d : named) {
            LocalDate between = d.plusDays(1);
            if (!days.contains(between)
                    && named.contains(d.plusDays(2))
                    && between.getDayOfWeek() != DayOfWeek.SUNDAY) {
                days.add(between);
            }
        }
        return days;
    }

    private static LocalDate nthMonday(int year, Month month, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, DayOfWeek.MONDAY));
    }

    private static int equinox(int year, double base) {
        int y = year - 1980;
        return (int) Math.floor(base + 0.242194 * y - Math.floor(y / 4.0));
    }
}
