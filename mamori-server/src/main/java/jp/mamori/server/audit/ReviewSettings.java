package jp.mamori.server.audit;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The periodic review (定期的な確認) of the access log.
 *
 * @param period the length of one review period (P1M: monthly)
 * @param grace how long after its period ends a review may wait before it is overdue
 * @param firstPeriod the first day of the first period; by default the first day of the month the
 *     log was created
 * @param workStart start of working hours, Japan time, HH:mm
 * @param workEnd end of working hours, Japan time, HH:mm
 * @param workDays the working days
 * @param holidays whether Japan's national holidays (国民の祝日, 振替休日, 国民の休日) count as days off
 */
@ConfigurationProperties("mamori.audit.review")
record ReviewSettings(
        @DefaultValue("P1M") Period period,
        @DefaultValue("P1M") Period grace,
        @Nullable LocalDate firstPeriod,
        @DefaultValue("08:00") String workStart,
        @DefaultValue("19:00") String workEnd,
        @DefaultValue({"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"}) Set<DayOfWeek> workDays,
        @DefaultValue("true") boolean holidays) {

    ReviewSettings {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException(
                    "mamori.audit.review.period must be positive, e.g. P1M; it is " + period);
        }
        time("work-start", workStart);
        time("work-end", workEnd);
    }

    LocalTime workStartTime() {
        return time("work-start", workStart);
    }

    LocalTime workEndTime() {
        return time("work-end", workEnd);
    }

    private static LocalTime time(String name, String value) {
        try {
            return LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "mamori.audit.review." + name + " must be a time such as 08:00; it is '" + value + "'");
        }
    }
}
