package jp.mamori.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestClock;
import jp.mamori.server.WebClient;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.audit.StoredSecurityEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Passkeys over the real HTTP endpoints, with a software authenticator that signs with a real
 * P-256 key: registration from the account page's endpoints, sign-in, and every way a sign-in or a
 * registration must be refused.
 */
class PasskeyTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    SecurityEvents events;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestClock clock;

    @AfterEach
    void resetClockAndSourceThrottle() {
        clock.reset();
        // Every test signs in from the same loopback address; the refusals made here on purpose
        // must not count against the address for the test classes that run after this one.
        jdbc.sql("DELETE FROM login_throttle WHERE throttle_key LIKE 'source:%'")
                .update();
    }

    private SoftwareAuthenticator authenticator() {
        return new SoftwareAuthenticator("localhost", baseUrl());
    }

    /** Signs the user in with password and TOTP and registers a passkey from that session. */
    private SoftwareAuthenticator registered(IdentityFixtures.TestUser user, String label) {
        return registered(signIn(user), label);
    }

    /**
     * Registers a passkey from a signed-in session. A TOTP code is accepted once only, so a test
     * that needs a second session signs in again with a passkey, not with the same code.
     */
    private SoftwareAuthenticator registered(WebClient web, String label) {
        web.get("/account");
        SoftwareAuthenticator key = authenticator();
        HttpResponse<String> options = web.postJson("/webauthn/register/options", null);
        assertThat(options.statusCode()).isEqualTo(200);
        HttpResponse<String> answer = web.postJson("/webauthn/register", key.register(options.body(), label));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"success\":true");
        return key;
    }

    /** A new browser that asks for sign-in options and answers them with the authenticator. */
    private HttpResponse<String> signInWith(WebClient web, SoftwareAuthenticator key) {
        web.get("/login");
        HttpResponse<String> options = web.postJson("/webauthn/authenticate/options", null);
        assertThat(options.statusCode()).isEqualTo(200);
        return web.postJson("/login/webauthn", key.assertion(options.body()));
    }

    private int passkeysOf(IdentityFixtures.TestUser user) {
        return jdbc.sql("SELECT count(*) FROM user_credentials c JOIN user_entities u ON u.id = c.user_entity_user_id"
                        + " WHERE u.name = ?")
                .param(user.loginId())
                .query(Integer.class)
                .single();
    }

    private StoredSecurityEvent lastEvent(IdentityFixtures.TestUser user, SecurityEventType type) {
        return events.latestOf(user.id(), 20).stream()
                .filter(e -> e.type() == type)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void a_doctor_registers_a_passkey_and_signs_in_with_it_alone() {
        var doctor = fixtures.user("pk-doc", JobType.DOCTOR, "DOCTOR");
        SoftwareAuthenticator key = registered(doctor, "病棟PC Windows Hello");
        assertThat(passkeysOf(doctor)).isEqualTo(1);
        StoredSecurityEvent enrolled = lastEvent(doctor, SecurityEventType.FACTOR_ENROLLED);
        assertThat(enrolled.detail()).containsEntry("factor", "passkey").containsEntry("label", "病棟PC Windows Hello");

        WebClient web = newClient();
        HttpResponse<String> answer = signInWith(web, key);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"authenticated\":true");

        // The doctor's roles demand two factors: a user-verified passkey is both.
        web.get("/");
        assertThat(web.path()).isEqualTo("/");
        StoredSecurityEvent login = lastEvent(doctor, SecurityEventType.LOGIN);
        assertThat(login.outcome()).isEqualTo(SecurityEvent.Outcome.SUCCESS);
        assertThat(login.detail()).containsEntry("method", "passkey");

        web.get("/account");
        assertThat(web.last().body()).contains("病棟PC Windows Hello").doesNotContain("未使用");
        assertThat(Factors.amr(Set.of(Factors.WEBAUTHN))).containsExactly("hwk", "user", "mfa");
        assertThat(Factors.acr(Set.of(Factors.WEBAUTHN))).isEqualTo("mamori:mfa");
    }

    @Test
    void a_wrong_signature_is_refused_and_logged() {
        var nurse = fixtures.user("pk-sig", JobType.NURSE, "NURSE");
        SoftwareAuthenticator key = registered(nurse, "スマートフォン");
        WebClient web = newClient();
        web.get("/login");
        String options = web.postJson("/webauthn/authenticate/options", null).body();
        String body = key.assertion(options);
        String signature = body.replaceAll("(?s).*\"signature\":\"([^\"]+)\".*", "$1");
        char flipped = signature.charAt(10) == 'A' ? 'B' : 'A';
        String forged = body.replace(signature, signature.substring(0, 10) + flipped + signature.substring(11));

        HttpResponse<String> answer = web.postJson("/login/webauthn", forged);
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("refused");
        web.get("/");
        assertThat(web.path()).isEqualTo("/login");
        StoredSecurityEvent failed = lastEvent(nurse, SecurityEventType.LOGIN);
        assertThat(failed.outcome()).isEqualTo(SecurityEvent.Outcome.FAILURE);
        assertThat(failed.detail()).containsEntry("method", "passkey").containsEntry("reason", "bad_signature");
    }

    @Test
    void failed_passkey_sign_ins_are_throttled_like_passwords_with_the_same_refusal() {
        var nurse = fixtures.user("pk-throttle", JobType.NURSE, "NURSE");
        SoftwareAuthenticator key = registered(nurse, "スマートフォン");
        SoftwareAuthenticator impostor = authenticator();
        impostor.userHandle = key.userHandle;
        System.arraycopy(key.credentialId, 0, impostor.credentialId, 0, key.credentialId.length);
        HttpResponse<String> refused = null;
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            refused = signInWith(newClient(), impostor);
            assertThat(refused.statusCode()).isEqualTo(401);
        }
        // The right key, right after: still refused, with the very same answer, until the delay passes.
        HttpResponse<String> blocked = signInWith(newClient(), key);
        assertThat(blocked.statusCode()).isEqualTo(401);
        assertThat(blocked.body()).isEqualTo(refused.body());
        assertThat(lastEvent(nurse, SecurityEventType.LOGIN).detail()).containsEntry("reason", "throttled");

        clock.advance(LoginThrottle.MAX_DELAY.plusSeconds(1));
        assertThat(signInWith(newClient(), key).statusCode()).isEqualTo(200);
    }

    @Test
    void a_replayed_assertion_is_refused_in_the_same_and_in_a_new_session() {
        var nurse = fixtures.user("pk-replay", JobType.NURSE, "NURSE");
        SoftwareAuthenticator key = registered(nurse, "スマートフォン");
        WebClient web = newClient();
        web.get("/login");
        String options = web.postJson("/webauthn/authenticate/options", null).body();
        String body = key.assertion(options);
        assertThat(web.postJson("/login/webauthn", body).statusCode()).isEqualTo(200);

        // The same session has no challenge waiting any more.
        WebClient same = web;
        same.get("/login");
        HttpResponse<String> again = same.postJson("/login/webauthn", body);
        assertThat(again.statusCode()).isEqualTo(401);

        // A new session has a new challenge, which the captured assertion does not answer.
        WebClient other = newClient();
        other.get("/login");
        other.postJson("/webauthn/authenticate/options", null);
        HttpResponse<String> replayed = other.postJson("/login/webauthn", body);
        assertThat(replayed.statusCode()).isEqualTo(401);
        other.get("/");
        assertThat(other.path()).isEqualTo("/login");
        assertThat(lastEvent(nurse, SecurityEventType.LOGIN).detail()).containsEntry("reason", "bad_challenge");
    }

    @Test
    void an_assertion_made_for_another_origin_is_refused() {
        var nurse = fixtures.user("pk-origin", JobType.NURSE, "NURSE");
        SoftwareAuthenticator key = registered(nurse, "スマートフォン");
        key.origin = "https://mamori.example.invalid";
        WebClient web = newClient();
        HttpResponse<String> answer = signInWith(web, key);
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(lastEvent(nurse, SecurityEventType.LOGIN).detail()).containsEntry("reason", "bad_origin");
    }

    @Test
    void a_signature_counter_that_does_not_move_forward_is_refused_and_a_moving_one_is_stored() {
        var nurse = fixtures.user("pk-counter", JobType.NURSE, "NURSE");
        SoftwareAuthenticator key = registered(nurse, "スマートフォン");
        key.counter = 41;
        assertThat(signInWith(newClient(), key).statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT signature_count FROM user_credentials WHERE credential_id = ?")
                        .param(key.credentialIdText())
                        .query(Long.class)
                        .single())
                .isEqualTo(42L);

        // A cloned authenticator would present a counter at or below the stored one.
        key.counter = 10;
        assertThat(signInWith(newClient(), key).statusCode()).isEqualTo(401);
        assertThat(lastEvent(nurse, SecurityEventType.LOGIN).detail()).containsEntry("reason", "counter_not_increased");
    }

    @Test
    void a_disabled_or_expired_account_cannot_sign_in_with_its_passkey() {
        var retired = fixtures.user("pk-disabled", JobType.NURSE, "NURSE");
        SoftwareAuthenticator key = registered(retired, "スマートフォン");
        jdbc.sql("UPDATE account SET status = 'DISABLED' WHERE id = ?")
                .param(retired.id())
                .update();
        HttpResponse<String> answer = signInWith(newClient(), key);
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("refused");
        assertThat(lastEvent(retired, SecurityEventType.LOGIN).detail()).containsEntry("reason", "not_usable:DISABLED");

        var vendor = fixtures.user("pk-expired", JobType.IT, "NURSE");
        SoftwareAuthenticator vendorKey = registered(vendor, "保守用PC");
        jdbc.sql("UPDATE account SET expires_at = now() - interval '1 day' WHERE id = ?")
                .param(vendor.id())
                .update();
        HttpResponse<String> refused = signInWith(newClient(), vendorKey);
        assertThat(refused.statusCode()).isEqualTo(401);
        // The same answer as for a wrong signature: nothing tells the two apart from outside.
        assertThat(refused.body()).isEqualTo(answer.body());
    }

    @Test
    void a_passkey_can_be_the_second_step_after_the_password() {
        var doctor = fixtures.user("pk-second", JobType.DOCTOR, "DOCTOR");
        SoftwareAuthenticator key = registered(doctor, "スマートフォン");
        WebClient web = newClient();
        web.get("/login");
        web.post("/login", Map.of("loginId", doctor.loginId(), "password", doctor.password()));
        assertThat(web.path()).isEqualTo("/login/second-factor");
        assertThat(web.last().body()).contains("passkey-button");

        HttpResponse<String> options = web.postJson("/webauthn/authenticate/options", null);
        assertThat(options.body()).contains(key.credentialIdText());
        HttpResponse<String> answer = web.postJson("/login/webauthn", key.assertion(options.body()));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        web.get("/");
        assertThat(web.path()).isEqualTo("/");
        StoredSecurityEvent second = lastEvent(doctor, SecurityEventType.SECOND_FACTOR);
        assertThat(second.detail()).containsEntry("method", "passkey");
    }

    @Test
    void registering_needs_a_recent_sign_in() {
        var doctor = fixtures.user("pk-fresh", JobType.DOCTOR, "DOCTOR");
        WebClient web = signIn(doctor);
        web.get("/account");
        SoftwareAuthenticator key = authenticator();
        String options = web.postJson("/webauthn/register/options", null).body();
        clock.advance(Duration.ofMinutes(10));
        web.get("/account");
        assertThat(web.last().body()).doesNotContain("passkey-register");
        HttpResponse<String> answer = web.postJson("/webauthn/register", key.register(options, "遅すぎた登録"));
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("sign_in_again");
        assertThat(passkeysOf(doctor)).isZero();
    }

    @Test
    void malformed_bodies_get_a_clear_400_and_store_nothing() {
        var doctor = fixtures.user("pk-bad", JobType.DOCTOR, "DOCTOR");
        WebClient web = signIn(doctor);
        SoftwareAuthenticator kept = registered(web, "最初のパスキー");
        web.get("/account");
        String options = web.postJson("/webauthn/register/options", null).body();

        HttpResponse<String> notJson = web.postJson("/webauthn/register", "{\"publicKey\": {\"label\": ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not JSON").contains("line 1");

        HttpResponse<String> noLabel = web.postJson(
                "/webauthn/register", authenticator().register(options, "x").replace("\"x\"", "\"  \""));
        assertThat(noLabel.statusCode()).isEqualTo(400);
        assertThat(noLabel.body()).contains("publicKey.label");

        HttpResponse<String> noCredential = web.postJson("/webauthn/register", "{\"publicKey\":{\"label\":\"a\"}}");
        assertThat(noCredential.statusCode()).isEqualTo(400);
        assertThat(noCredential.body()).contains("publicKey.credential");

        HttpResponse<String> garbage = web.postJson(
                "/webauthn/register",
                authenticator()
                        .register(options, "壊れた応答")
                        .replaceAll("\"attestationObject\":\"[^\"]+\"", "\"attestationObject\":\"AAAA\""));
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("refused");

        WebClient login = newClient();
        login.get("/login");
        login.postJson("/webauthn/authenticate/options", null);
        HttpResponse<String> badAssertion = login.postJson("/login/webauthn", "{\"id\": [1, 2");
        assertThat(badAssertion.statusCode()).isEqualTo(400);
        assertThat(badAssertion.body()).contains("malformed").contains("PublicKeyCredential");

        assertThat(passkeysOf(doctor)).isEqualTo(1);
        assertThat(signInWith(newClient(), kept).statusCode()).isEqualTo(200);
    }

    @Test
    void the_holder_removes_a_passkey_and_an_administrator_removes_the_rest_with_a_reason() {
        var doctor = fixtures.user("pk-remove", JobType.DOCTOR, "DOCTOR");
        WebClient own = signIn(doctor);
        SoftwareAuthenticator first = registered(own, "紛失したスマートフォン");
        SoftwareAuthenticator second = registered(own, "病棟PC");
        assertThat(passkeysOf(doctor)).isEqualTo(2);

        own.get("/account");
        assertThat(own.last().body()).contains("紛失したスマートフォン").contains("病棟PC");
        own.post("/account/passkeys/remove", Map.of("credentialId", second.credentialIdText()));
        assertThat(passkeysOf(doctor)).isEqualTo(1);
        assertThat(signInWith(newClient(), second).statusCode()).isEqualTo(401);

        var admin = fixtures.administrator();
        WebClient adminWeb = signIn(admin);
        adminWeb.get("/admin/accounts");
        assertThat(adminWeb.last().body()).containsPattern(doctor.loginId() + "(?s).*?class=\"passkey-count\">1<");
        adminWeb.get("/admin/accounts/" + doctor.id());
        assertThat(adminWeb.last().body()).contains("パスキー: 1 件").contains("紛失したスマートフォン");
        adminWeb.post("/admin/accounts/" + doctor.id() + "/passkeys/remove", Map.of("credentialId", "", "reason", " "));
        assertThat(passkeysOf(doctor)).isEqualTo(1);
        adminWeb.post(
                "/admin/accounts/" + doctor.id() + "/passkeys/remove",
                Map.of("credentialId", "", "reason", "スマートフォン紛失の届出"));
        assertThat(passkeysOf(doctor)).isZero();
        assertThat(signInWith(newClient(), first).statusCode()).isEqualTo(401);
        StoredSecurityEvent removed = lastEvent(doctor, SecurityEventType.FACTOR_REMOVED);
        assertThat(removed.detail())
                .containsEntry("factor", "passkey")
                .containsEntry("by", admin.loginId())
                .containsEntry("reason", "スマートフォン紛失の届出");
    }

    @Test
    void spring_security_s_own_delete_endpoint_is_closed() {
        var doctor = fixtures.user("pk-delete", JobType.DOCTOR, "DOCTOR");
        WebClient web = signIn(doctor);
        SoftwareAuthenticator key = registered(web, "スマートフォン");
        web.get("/account");
        // Removal without the access log is not offered.
        assertThat(web.delete("/webauthn/register/" + key.credentialIdText()).statusCode())
                .isEqualTo(403);
        assertThat(passkeysOf(doctor)).isEqualTo(1);
    }
}
