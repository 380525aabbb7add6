package jp.mamori.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Against the Cabinet Office's published lists of 令和7年 (2025) and 令和8年 (2026). */
class JapaneseHolidaysTest {

    @Test
    void the_holidays_of_2025() {
        assertThat(JapaneseHolidays.between(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)))
                .containsExactly(
                        LocalDate.of(2025, 1, 1),
                        LocalDate.of(2025, 1, 13),
                        LocalDate.of(2025, 2, 11),
                        LocalDate.of(2025, 2, 23),
                        LocalDate.of(2025, 2, 24), // 振替休日
                        LocalDate.of(2025, 3, 20),
                        LocalDate.of(2025, 4, 29),
                        LocalDate.of(2025, 5, 3),
                        LocalDate.of(2025, 5, 4),
                        LocalDate.of(2025, 5, 5),
                        LocalDate.of(2025, 5, 6), // 振替休日 for 5/4, pushed past 5/5
                        LocalDate.of(2025, 7, 21),
                        LocalDate.of(2025, 8, 11),
                        LocalDate.of(2025, 9, 15),
                        LocalDate.of(2025, 9, 23),
                        LocalDate.of(2025, 10, 13),
                        LocalDate.of(2025, 11, 3),
                        LocalDate.of(2025, 11, 23),
                        LocalDate.of(2025, 11, 24)); // 振替休日
    }

    @Test
    void the_holidays_of_2026_with_a_citizens_holiday_in_september() {
        assertThat(JapaneseHolidays.between(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)))
                .containsExactly(
                        LocalDate.of(2026, 1, 1),
                        LocalDate.of(2026, 1, 12),
                        LocalDate.of(2026, 2, 11),
                        LocalDate.of(2026, 2, 23),
                        LocalDate.of(2026, 3, 20),
                        LocalDate.of(2026, 4, 29),
                        LocalDate.of(2026, 5, 3),
                        LocalDate.of(2026, 5, 4),
                        LocalDate.of(2026, 5, 5),
                        LocalDate.of(2026, 5, 6), // 振替休日 for 5/3
                        LocalDate.of(2026, 7, 20),
                        LocalDate.of(2026, 8, 11),
                        LocalDate.of(2026, 9, 21),
                        LocalDate.of(2026, 9, 22), // 国民の休日
                        LocalDate.of(2026, 9, 23),
                        LocalDate.of(2026, 10, 12),
                        LocalDate.of(2026, 11, 3),
                        LocalDate.of(2026, 11, 23));
    }

    @Test
    void a_range_inside_one_year_and_across_two() {
        assertThat(JapaneseHolidays.between(LocalDate.of(2026, 12, 20), LocalDate.of(2027, 1, 15)))
                .containsExactly(LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 11));
    }
}
