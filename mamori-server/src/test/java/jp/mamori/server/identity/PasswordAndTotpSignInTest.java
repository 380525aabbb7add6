package jp.mamori.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.audit.StoredSecurityEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class PasswordAndTotpSignInTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    jp.mamori.server.TestClock clock;

    @Autowired
    SecurityEvents events;

    private WebClient signInWithPassword(IdentityFixtures.TestUser user) {
        WebClient web = newClient();
        web.get("/login");
        web.post("/login", Map.of("loginId", user.loginId(), "password", user.password()));
        return web;
    }

    @Test
    void a_doctor_needs_the_totp_code_after_the_password() {
        var doctor = fixtures.user("doc", JobType.DOCTOR, "DOCTOR");
        WebClient web = signInWithPassword(doctor);
        assertThat(web.path()).isEqualTo("/login/second-factor");

        web.post("/login/totp", Map.of("code", doctor.totp()));
        assertThat(web.path()).isEqualTo("/");
        assertThat(web.last().body())
                .contains("ダッシュボード")
                .contains(doctor.loginId().isEmpty() ? "x" : "試験");
    }

    @Test
    void logging_out_ends_the_session_and_is_recorded() {
        var doctor = fixtures.user("logout", JobType.DOCTOR, "DOCTOR");
        WebClient web = signInWithPassword(doctor);
        web.post("/login/totp", Map.of("code", doctor.totp()));
        web.post("/logout", Map.of());
        assertThat(web.path()).isEqualTo("/login?logout");
        web.get("/");
        assertThat(web.path()).isEqualTo("/login");
        assertThat(events.latestOf(doctor.id(), 5))
                .extracting(StoredSecurityEvent::type)
                .contains(SecurityEventType.LOGOUT);
    }

    @Test
    void a_half_signed_in_user_cannot_reach_any_page() {
        var nurse = fixtures.user("nurse", JobType.NURSE, "NURSE");
        WebClient web = signInWithPassword(nurse);
        web.get("/");
        assertThat(web.path()).isEqualTo("/login/second-factor");
        web.get("/admin/accounts");
        assertThat(web.path()).isEqualTo("/login/second-factor");
    }

    @Test
    void refuses_a_totp_code_that_was_already_used() {
        var doctor = fixtures.user("replay", JobType.DOCTOR, "DOCTOR");
        String code = doctor.totp();
        WebClient first = signInWithPassword(doctor);
        first.post("/login/totp", Map.of("code", code));
        assertThat(first.path()).isEqualTo("/");

        WebClient second = signInWithPassword(doctor);
        second.post("/login/totp", Map.of("code", code));
        assertThat(second.path()).isEqualTo("/login/second-factor?error");
    }

    @Test
    void refuses_a_wrong_totp_code_and_logs_it() {
        var doctor = fixtures.user("wrongotp", JobType.DOCTOR, "DOCTOR");
        WebClient web = signInWithPassword(doctor);
        String wrong = doctor.totp().equals("000000") ? "111111" : "000000";
        web.post("/login/totp", Map.of("code", wrong));
        assertThat(web.path()).isEqualTo("/login/second-factor?error");
        assertThat(events.latestOf(doctor.id(), 5))
                .extracting(StoredSecurityEvent::type, e -> e.outcome().name())
                .contains(org.assertj.core.groups.Tuple.tuple(SecurityEventType.SECOND_FACTOR, "FAILURE"));
    }

    @Test
    void a_wrong_password_and_an_unknown_account_look_the_same() {
        var clerk = fixtures.user("clerk", JobType.CLERK, "CLERK");
        WebClient a = newClient();
        a.get("/login");
        a.post("/login", Map.of("loginId", clerk.loginId(), "password", "Wrong-password-123"));
        WebClient b = newClient();
        b.get("/login");
        b.post("/login", Map.of("loginId", "nobody-" + clerk.loginId(), "password", "Wrong-password-123"));

        assertThat(a.path()).isEqualTo("/login?error");
        assertThat(b.path()).isEqualTo(a.path());
        assertThat(stripTokens(a.last().body())).isEqualTo(stripTokens(b.last().body()));
    }

    @Test
    void locks_the_account_after_ten_failures_until_an_administrator_unlocks_it() {
        var clerk = fixtures.user("lock", JobType.CLERK, "CLERK");
        for (int i = 0; i < LoginThrottle.LOCKOUT_FAILURES; i++) {
            waitOutTheDelay(clerk.loginId());
            WebClient web = newClient();
            web.get("/login");
            web.post("/login", Map.of("loginId", clerk.loginId(), "password", "Wrong-" + i + "-password!"));
        }
        // Even the right password is refused now, with the same message.
        WebClient web = signInWithPassword(clerk);
        assertThat(web.path()).isEqualTo("/login?error");
        assertThat(events.latestOf(clerk.id(), 20))
                .extracting(StoredSecurityEvent::type)
                .contains(SecurityEventType.LOCKOUT);
    }

    @Test
    void a_post_without_its_csrf_token_is_refused() {
        var doctor = fixtures.user("csrf", JobType.DOCTOR, "DOCTOR");
        WebClient web = newClient();
        web.get("/login");
        var response =
                web.postWithoutCsrf("/login", Map.of("loginId", doctor.loginId(), "password", doctor.password()));
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void the_log_never_holds_the_password_or_the_code() {
        var doctor = fixtures.user("nolog", JobType.DOCTOR, "DOCTOR");
        WebClient web = signInWithPassword(doctor);
        String code = doctor.totp();
        web.post("/login/totp", Map.of("code", code));
        WebClient typo = newClient();
        typo.get("/login");
        typo.post("/login", Map.of("loginId", doctor.password(), "password", "x"));
        for (StoredSecurityEvent e : events.latest(50)) {
            assertThat(e.toString()).doesNotContain(doctor.password()).doesNotContain("code=" + code);
        }
    }

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    /** Time passes: the growing delay after earlier failures is over (a lockout is not a delay). */
    private void waitOutTheDelay(String loginId) {
        jdbc.sql(
                        "UPDATE login_throttle SET blocked_until = NULL WHERE throttle_key = ? AND blocked_until < '9999-01-01'")
                .param(LoginThrottle.accountKey(loginId))
                .update();
    }

    @Test
    void attempts_during_the_delay_are_refused_even_with_the_right_password() {
        var clerk = fixtures.user("delay", JobType.CLERK, "CLERK");
        // The first delay is one second; with time stopped it cannot run out while a loaded machine works.
        clock.freeze();
        try {
            for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
                WebClient web = newClient();
                web.get("/login");
                web.post("/login", Map.of("loginId", clerk.loginId(), "password", "Wrong-" + i + "-password!"));
            }
            assertThat(signInWithPassword(clerk).path()).isEqualTo("/login?error");
        } finally {
            clock.reset();
        }
        waitOutTheDelay(clerk.loginId());
        assertThat(signInWithPassword(clerk).path()).isEqualTo("/login/second-factor");
    }

    private static String stripTokens(String html) {
        return html.replaceAll("(value|content)=\"[^\"]*\"", "");
    }
}
