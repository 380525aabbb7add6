package jp.mamori.server.governance;

import java.text.Normalizer;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A time in which a remote-maintenance line is approved for use (保守作業の承認時間帯): every week on
 * a weekday ({@code 火 13:00-17:00}), or once on a date with the reference of its work plan
 * ({@code 2026-11-20 22:00-23:30 作業計画 WP-031}). Times are Japan time; a window ends on the day
 * it starts, so work across midnight is written as two windows.
 *
 * @param weekday set for a weekly window
 * @param date set for a one-off window
 * @param reference the work plan (作業計画) number or any note after the times
 */
record MaintenanceWindow(
        @Nullable DayOfWeek weekday,
        @Nullable LocalDate date,
        LocalTime start,
        LocalTime end,
        @Nullable String reference) {

    private static final Pattern LINE = Pattern.compile(
            "(?<day>\\S+?)\\s*(?<start>\\d{1,2}:\\d{2})\\s*[-~〜–—]\\s*(?<end>\\d{1,2}:\\d{2})(?:\\s+(?<ref>.*))?");

    static final String[] JAPANESE_DAYS = {"月", "火", "水", "木", "金", "土", "日"};

    private static final Map<String, DayOfWeek> WEEKDAYS = weekdays();

    /** A line that is not a window, with the message key and the line number (from 1) within the field. */
    record Problem(int line, String text, String messageKey) {}

    /** Reads one window a line; blank lines are skipped. Every bad line is reported, none stored. */
    static List<MaintenanceWindow> parseAll(@Nullable String text, List<Problem> problems) {
        List<MaintenanceWindow> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(parse(line));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(i + 1, line, e.getMessage()));
            }
        }
        return out;
    }

    /** Throws {@link IllegalArgumentException} whose message is the key of what is wrong. */
    static MaintenanceWindow parse(String line) {
        // Full-width digits and colons, as a Japanese input method writes them, are read as ASCII.
        String t = Normalizer.normalize(line, Normalizer.Form.NFKC).strip();
        Matcher m = LINE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("connections.error.window.format");
        }
        LocalTime start = time(m.group("start"));
        LocalTime end = time(m.group("end"));
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("connections.error.window.endBeforeStart");
        }
        String day = m.group("day");
        String ref = m.group("ref") == null || m.group("ref").isBlank()
                ? null
                : m.group("ref").strip();
        DayOfWeek weekday = WEEKDAYS.get(day.toLowerCase(Locale.ROOT));
        if (weekday != null) {
            return new MaintenanceWindow(weekday, null, start, end, ref);
        }
        if (!day.matches("\\d{4}[-/]\\d{1,2}[-/]\\d{1,2}")) {
            throw new IllegalArgumentException("connections.error.window.day");
        }
        LocalDate date;
        try {
            String[] p = day.split("[-/]");
            date = LocalDate.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("connections.error.window.date");
        }
        if (ref == null) {
            // A one-off window is approved for a piece of work; the plan names it.
            throw new IllegalArgumentException("connections.error.window.reference");
        }
        return new MaintenanceWindow(null, date, start, end, ref);
    }

    private static LocalTime time(String hm) {
        String[] p = hm.split(":");
        try {
            return LocalTime.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        } catch (java.time.DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException("connections.error.window.time");
        }
    }

    public boolean weekly() {
        return weekday != null;
    }

    /** As it is entered: {@code 火 13:00-17:00} or {@code 2026-11-20 22:00-23:30 WP-031}. */
    public String show() {
        String day = weekday != null ? JAPANESE_DAYS[weekday.getValue() - 1] : String.valueOf(date);
        return day + " " + start + "-" + end + (reference == null ? "" : " " + reference);
    }

    /** The concrete intervals of this window that overlap [{@code from}, {@code to}). */
    List<Instant[]> occurrences(Instant from, Instant to) {
        List<Instant[]> out = new ArrayList<>();
        LocalDate first = from.atZone(Answers.JAPAN).toLocalDate();
        LocalDate last = to.atZone(Answers.JAPAN).toLocalDate();
        if (date != null) {
            add(out, date, from, to);
            return out;
        }
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            if (d.getDayOfWeek() == weekday) {
                add(out, d, from, to);
            }
        }
        return out;
    }

    private void add(List<Instant[]> out, LocalDate day, Instant from, Instant to) {
        Instant s = day.atTime(start).atZone(Answers.JAPAN).toInstant();
        Instant e = day.atTime(end).atZone(Answers.JAPAN).toInstant();
        if (e.isAfter(from) && s.isBefore(to)) {
            out.add(new Instant[] {s, e});
        }
    }

    /** Whether the moment lies in this window. */
    boolean covers(Instant at) {
        var local = at.atZone(Answers.JAPAN);
        LocalTime t = local.toLocalTime();
        boolean day = weekday != null
                ? local.getDayOfWeek() == weekday
                : local.toLocalDate().equals(date);
        return day && !t.isBefore(start) && t.isBefore(end);
    }

    private static Map<String, DayOfWeek> weekdays() {
        Map<String, DayOfWeek> m = new java.util.HashMap<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            String ja = JAPANESE_DAYS[d.getValue() - 1];
            m.put(ja, d);
            m.put(ja + "曜", d);
            m.put(ja + "曜日", d);
            m.put("毎週" + ja, d);
            m.put("毎週" + ja + "曜", d);
            m.put("毎週" + ja + "曜日", d);
            String en = d.name().toLowerCase(Locale.ROOT);
            m.put(en, d);
            m.put(en.substring(0, 3), d);
        }
        return Map.copyOf(m);
    }
}
