package jp.mamori.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestClock;
import jp.mamori.server.TestPager;
import jp.mamori.server.WebClient;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.audit.StoredSecurityEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class BreakGlassTest extends ServerTest {

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

    private WebClient emergency(IdentityFixtures.TestUser user, String reason) {
        WebClient web = newClient();
        web.get("/login/emergency");
        web.post(
                "/login/emergency",
                Map.of(
                        "loginId",
                        user.loginId(),
                        "password",
                        user.password(),
                        "reason",
                        reason,
                        "patientRef",
                        "P-TEST-0001"));
        return web;
    }

    @Test
    void a_password_and_a_reason_open_a_time_limited_emergency_sign_in_that_is_announced() {
        var doctor = fixtures.user("bg-doc", JobType.DOCTOR, "DOCTOR");
        WebClient web = emergency(doctor, "ICカードを紛失、救急外来で処方確認が必要");
        assertThat(web.path()).isEqualTo("/");
        assertThat(web.last().body()).contains("緊急時アクセス中");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestPager.received().stream()
                .anyMatch(m -> m.contains("break_glass") && m.contains(doctor.loginId())));
        assertThat(events.latestOf(doctor.id(), 5))
                .extracting(StoredSecurityEvent::type)
                .contains(SecurityEventType.BREAK_GLASS_START);

        clock.advance(Duration.ofMinutes(61));
        web.get("/");
        assertThat(web.path()).isNotEqualTo("/");
    }

    @Test
    void refuses_an_emergency_sign_in_without_a_real_reason() {
        var nurse = fixtures.user("bg-nurse", JobType.NURSE, "NURSE");
        WebClient web = emergency(nurse, "急ぎ");
        assertThat(web.path()).isEqualTo("/login/emergency");
        assertThat(web.last().body()).contains("理由を10文字以上");
    }

    @Test
    void refuses_an_emergency_sign_in_with_a_wrong_password() {
        var nurse = fixtures.user("bg-wrong", JobType.NURSE, "NURSE");
        WebClient web = newClient();
        web.get("/login/emergency");
        web.post(
                "/login/emergency",
                Map.of("loginId", nurse.loginId(), "password", "Not-the-password-1", "reason", "カードリーダー故障のため緊急に参照"));
        assertThat(web.last().body()).contains("ログインできませんでした");
    }

    @Test
    void the_use_waits_in_the_review_queue_until_an_administrator_signs_it_off() {
        var doctor = fixtures.user("bg-review", JobType.DOCTOR, "DOCTOR");
        emergency(doctor, "認証アプリの端末が故障、急変対応のため");
        var admin = fixtures.administrator();
        WebClient web = newClient();
        web.get("/login");
        web.post("/login", Map.of("loginId", admin.loginId(), "password", admin.password()));
        web.post("/login/totp", Map.of("code", admin.totp()));
        web.get("/admin/break-glass");
        assertThat(web.last().body()).contains("認証アプリの端末が故障");
        String body = web.last().body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/admin/break-glass/(\\d+)/review")
                .matcher(body);
        assertThat(m.find()).isTrue();
        web.post("/admin/break-glass/" + m.group(1) + "/review", Map.of("note", "救急外来の記録と照合、正当"));
        assertThat(events.latestOf(admin.id(), 5))
                .extracting(StoredSecurityEvent::type)
                .contains(SecurityEventType.BREAK_GLASS_REVIEWED);
    }
}
