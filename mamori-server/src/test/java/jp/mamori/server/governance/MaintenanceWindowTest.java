package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Windows and addresses as people type them, without a server. */
class MaintenanceWindowTest {

    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    @Test
    void weekly_and_dated_windows_are_read_in_the_ways_people_write_them() {
        assertThat(MaintenanceWindow.parse("火 13:00-17:00").weekday()).isEqualTo(DayOfWeek.TUESDAY);
        assertThat(MaintenanceWindow.parse("毎週金曜日 ９：００〜１２：００").show()).isEqualTo("金 09:00-12:00");
        assertThat(MaintenanceWindow.parse("Wed 08:30 ~ 09:15").show()).isEqualTo("水 08:30-09:15");
        MaintenanceWindow once = MaintenanceWindow.parse("2026/11/20 22:00-23:30 作業計画 WP-031");
        assertThat(once.date()).isEqualTo(LocalDate.of(2026, 11, 20));
        assertThat(once.reference()).isEqualTo("作業計画 WP-031");
        assertThat(once.start()).isEqualTo(LocalTime.of(22, 0));
    }

    @Test
    void a_bad_window_names_what_is_wrong_and_its_line() {
        assertThatThrownBy(() -> MaintenanceWindow.parse("火 17:00-17:00"))
                .hasMessage("connections.error.window.endBeforeStart");
        assertThatThrownBy(() -> MaintenanceWindow.parse("祝 10:00-11:00")).hasMessage("connections.error.window.day");
        assertThatThrownBy(() -> MaintenanceWindow.parse("2026-02-30 10:00-11:00 WP"))
                .hasMessage("connections.error.window.date");
        assertThatThrownBy(() -> MaintenanceWindow.parse("月 23:00-24:00")).hasMessage("connections.error.window.time");
        List<MaintenanceWindow.Problem> problems = new ArrayList<>();
        var read = MaintenanceWindow.parseAll("月 09:00-10:00\n\n月曜 10時から\n", problems);
        assertThat(read).hasSize(1);
        assertThat(problems)
                .containsExactly(new MaintenanceWindow.Problem(3, "月曜 10時から", "connections.error.window.format"));
    }

    @Test
    void a_weekly_window_occurs_on_its_weekday_in_japan_time() {
        MaintenanceWindow tuesday = MaintenanceWindow.parse("火 13:00-17:00");
        // 2026-11-16 is a Monday; two weeks hold two Tuesdays
        Instant from = LocalDate.of(2026, 11, 16).atStartOfDay(JAPAN).toInstant();
        Instant to = LocalDate.of(2026, 11, 30).atStartOfDay(JAPAN).toInstant();
        var occurrences = tuesday.occurrences(from, to);
        assertThat(occurrences).hasSize(2);
        assertThat(occurrences.get(0)[0]).isEqualTo(Instant.parse("2026-11-17T04:00:00Z"));
        assertThat(occurrences.get(1)[1]).isEqualTo(Instant.parse("2026-11-24T08:00:00Z"));
        assertThat(tuesday.covers(Instant.parse("2026-11-17T04:00:00Z"))).isTrue();
        assertThat(tuesday.covers(Instant.parse("2026-11-17T08:00:00Z"))).isFalse(); // the end is outside
    }

    @Test
    void addresses_and_blocks_are_read_strictly_and_written_canonically() throws Exception {
        assertThat(NetworkAddresses.addressOrBlock("203.0.113.8").canonical()).isEqualTo("203.0.113.8");
        assertThat(NetworkAddresses.block("10.20.0.0/16").canonical()).isEqualTo("10.20.0.0/16");
        assertThat(NetworkAddresses.block("2001:db8::/32").prefix()).isEqualTo(32);
        assertThat(NetworkAddresses.block("10.20.0.0/16").contains(new byte[] {10, 20, (byte) 200, 1}))
                .isTrue();
        assertThat(NetworkAddresses.block("10.20.0.0/16").contains(new byte[] {10, 21, 0, 1}))
                .isFalse();
        assertThatThrownBy(() -> NetworkAddresses.block("10.20.1.5/16"))
                .isInstanceOfSatisfying(NetworkAddresses.NotAnAddress.class, e -> {
                    assertThat(e.flaw).isEqualTo(NetworkAddresses.Flaw.HOST_BITS_SET);
                    assertThat(e.suggestion).isEqualTo("10.20.0.0/16");
                });
        assertThatThrownBy(() -> NetworkAddresses.addressOrBlock("010.1.1.1"))
                .isInstanceOf(NetworkAddresses.NotAnAddress.class);
        // a host name is never looked up
        assertThatThrownBy(() -> NetworkAddresses.addressOrBlock("example.com"))
                .isInstanceOf(NetworkAddresses.NotAnAddress.class);
        assertThatThrownBy(() -> NetworkAddresses.block("10.0.0.0/33"))
                .isInstanceOfSatisfying(NetworkAddresses.NotAnAddress.class, e -> assertThat(e.flaw)
                        .isEqualTo(NetworkAddresses.Flaw.BAD_PREFIX));
    }
}
