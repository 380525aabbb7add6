package jp.mamori.server.governance;

import java.time.LocalDate;
import java.util.List;

/**
 * What is outstanding with the institution's vendors on a day — a 事業者確認用 form past its due day,
 * an MDS/SDS missing or old, a contract about to end, a vendor without an emergency contact —
 * announced once a day for the people responsible.
 *
 * @param day the day (in Japan) the reminders were worked out for
 * @param lines one sentence per reminder, in Japanese, naming the vendor
 */
public record VendorRemindersDue(LocalDate day, List<String> lines) {}
