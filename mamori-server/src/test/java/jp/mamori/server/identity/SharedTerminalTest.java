package jp.mamori.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestClock;
import jp.mamori.server.WebClient;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.audit.StoredSecurityEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class SharedTerminalTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    SecurityEvents events;

    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private WebClient terminalBrowser(IdentityFixtures.TestTerminal terminal) {
        WebClient web = terminalBrowser(terminal.credential());
        assertThat(web.path()).isEqualTo("/terminal/lock");
        return web;
    }

    @Test
    void a_card_with_its_pin_signs_in_and_the_terminal_is_recorded() {
        var terminal = fixtures.terminal(300);
        var nurse = fixtures.user("ward-nurse", JobType.NURSE, "NURSE");
        String uid = fixtures.card(nurse, "4826");
        WebClient web = terminalBrowser(terminal);
        tap(web, uid, "4826");
        assertThat(web.path()).isEqualTo("/");
        assertThat(fixtures.activeAccountOn(terminal.id())).isEqualTo(nurse.id());
        assertThat(events.latestOf(nurse.id(), 5)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(SecurityEventType.TERMINAL_SIGN_IN);
            assertThat(e.terminalId()).isEqualTo(terminal.id());
        });
    }

    @Test
    void a_new_users_tap_displaces_the_previous_user() {
        var terminal = fixtures.terminal(300);
        var first = fixtures.user("first", JobType.NURSE, "NURSE");
        var second = fixtures.user("second", JobType.DOCTOR, "DOCTOR");
        String firstCard = fixtures.card(first, "5937");
        String secondCard = fixtures.card(second, "6148");

        WebClient firstBrowser = terminalBrowser(terminal);
        tap(firstBrowser, firstCard, "5937");
        assertThat(firstBrowser.get("/").uri().getPath()).isEqualTo("/");

        WebClient secondBrowser = terminalBrowser(terminal);
        tap(secondBrowser, secondCard, "6148");
        assertThat(secondBrowser.path()).isEqualTo("/");

        // The first user's session on that terminal is gone.
        firstBrowser.get("/");
        assertThat(firstBrowser.path()).isIn("/login", "/terminal/lock");
        assertThat(fixtures.activeAccountOn(terminal.id())).isEqualTo(second.id());
        assertThat(events.latestOf(first.id(), 5))
                .extracting(StoredSecurityEvent::type)
                .contains(SecurityEventType.TERMINAL_DISPLACED);
    }

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void each_user_is_displaced_once_and_only_the_active_sign_in_stays_open() {
        var terminal = fixtures.terminal(300);
        var a = fixtures.user("once-a", JobType.NURSE, "NURSE");
        var b = fixtures.user("once-b", JobType.NURSE, "NURSE");
        String cardA = fixtures.card(a, "3862");
        String cardB = fixtures.card(b, "4973");
        WebClient web = terminalBrowser(terminal);
        for (int i = 0; i < 3; i++) {
            tap(web, cardA, "3862");
            tap(web, cardB, "4973");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM terminal_session WHERE terminal_id = ? AND ended_at IS NULL")
                        .param(terminal.id())
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        long displacedA = events.latestOf(a.id(), 50).stream()
                .filter(e -> e.type() == SecurityEventType.TERMINAL_DISPLACED)
                .count();
        assertThat(displacedA)
                .as("a was displaced three times, each announced once")
                .isEqualTo(3);
    }

    @Test
    void two_taps_at_the_same_moment_leave_exactly_one_active_user() throws Exception {
        var terminal = fixtures.terminal(300);
        var a = fixtures.user("race-a", JobType.NURSE, "NURSE");
        var b = fixtures.user("race-b", JobType.NURSE, "NURSE");
        String cardA = fixtures.card(a, "3719");
        String cardB = fixtures.card(b, "8264");
        WebClient browserA = terminalBrowser(terminal);
        WebClient browserB = terminalBrowser(terminal);
        browserA.get("/terminal/lock");
        browserB.get("/terminal/lock");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> taps = new ArrayList<>();
        taps.add(pool.submit(() -> {
            start.await();
            return browserA.post("/terminal/unlock", Map.of("cardUid", cardA, "pin", "3719"));
        }));
        taps.add(pool.submit(() -> {
            start.await();
            return browserB.post("/terminal/unlock", Map.of("cardUid", cardB, "pin", "8264"));
        }));
        start.countDown();
        for (Future<?> f : taps) {
            f.get();
        }
        pool.shutdown();

        Long active = fixtures.activeAccountOn(terminal.id());
        assertThat(active).isIn(a.id(), b.id());
        boolean aIn = browserA.get("/").uri().getPath().equals("/");
        boolean bIn = browserB.get("/").uri().getPath().equals("/");
        assertThat(aIn ^ bIn).as("exactly one of the two is signed in").isTrue();
        assertThat(aIn ? a.id() : b.id()).isEqualTo(active);
    }

    @Test
    void a_card_alone_never_signs_in() {
        var terminal = fixtures.terminal(300);
        var nurse = fixtures.user("nopin", JobType.NURSE, "NURSE");
        String uid = fixtures.card(nurse, "2591");
        WebClient web = terminalBrowser(terminal);
        tap(web, uid, "");
        assertThat(web.path()).isEqualTo("/terminal/lock?error");
        tap(web, uid, "0000");
        assertThat(web.path()).isEqualTo("/terminal/lock?error");
        assertThat(events.latestOf(nurse.id(), 5))
                .extracting(e -> e.detail().get("reason"))
                .contains("bad_pin");
    }

    @Test
    void an_unknown_card_is_refused_like_a_wrong_pin() {
        var terminal = fixtures.terminal(300);
        WebClient web = terminalBrowser(terminal);
        tap(web, "0123456789ABCDEF", "2591");
        assertThat(web.path()).isEqualTo("/terminal/lock?error");
        tap(web, "not-a-uid", "2591");
        assertThat(web.path()).isEqualTo("/terminal/lock?error");
    }

    @Test
    void an_idle_terminal_locks_and_the_same_user_unlocks_with_the_card() {
        var terminal = fixtures.terminal(60);
        var nurse = fixtures.user("idle", JobType.NURSE, "NURSE");
        String uid = fixtures.card(nurse, "7352");
        WebClient web = terminalBrowser(terminal);
        tap(web, uid, "7352");
        assertThat(web.last().body()).contains("data-idle-lock-seconds=\"60\"");

        clock.advance(Duration.ofSeconds(61));
        web.get("/");
        assertThat(web.path()).isEqualTo("/terminal/lock");
        assertThat(web.last().body()).contains("試験 " + nurse.loginId());

        tap(web, uid, "7352");
        assertThat(web.path()).isEqualTo("/");
        assertThat(fixtures.activeAccountOn(terminal.id())).isEqualTo(nurse.id());
    }

    @Test
    void a_password_sign_in_on_a_terminal_also_displaces_the_card_user() {
        var terminal = fixtures.terminal(300);
        var nurse = fixtures.user("card-user", JobType.NURSE, "NURSE");
        var doctor = fixtures.user("pw-user", JobType.DOCTOR, "DOCTOR");
        String uid = fixtures.card(nurse, "9361");
        WebClient nurseBrowser = terminalBrowser(terminal);
        tap(nurseBrowser, uid, "9361");

        WebClient doctorBrowser = terminalBrowser(terminal);
        doctorBrowser.get("/login");
        doctorBrowser.post("/login", Map.of("loginId", doctor.loginId(), "password", doctor.password()));
        doctorBrowser.post("/login/totp", Map.of("code", doctor.totp()));
        assertThat(doctorBrowser.path()).isEqualTo("/");
        assertThat(fixtures.activeAccountOn(terminal.id())).isEqualTo(doctor.id());
        nurseBrowser.get("/");
        assertThat(nurseBrowser.path()).isIn("/login", "/terminal/lock");
    }
}
