package jp.mamori.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AdministrationTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void a_user_changes_their_password_by_the_rules_and_never_back_to_an_old_one() {
        var nurse = fixtures.user("pw-change", JobType.NURSE, "NURSE");
        WebClient web = signIn(nurse);
        web.get("/account");
        assertThat(web.last().body()).contains("パスワードの変更");
        web.post("/account/password", Map.of("current", "not-it", "password", "Zq8#rTm4!vBn"));
        assertThat(web.last().body()).contains("現在のパスワードが正しくありません");
        web.post("/account/password", Map.of("current", nurse.password(), "password", "short1!"));
        assertThat(web.last().body()).contains("8文字以上");
        web.post("/account/password", Map.of("current", nurse.password(), "password", "Zq8#rTm4!vBn"));
        assertThat(web.last().body()).contains("パスワードを変更しました");
        web.post("/account/password", Map.of("current", "Zq8#rTm4!vBn", "password", nurse.password()));
        assertThat(web.last().body()).contains("過去に使ったパスワード");
    }

    @Test
    void only_administrators_reach_the_admin_pages() {
        var nurse = fixtures.user("adm-nurse", JobType.NURSE, "NURSE");
        WebClient web = signIn(nurse);
        assertThat(web.get("/admin/accounts").statusCode()).isEqualTo(403);
    }

    @Test
    void an_administrator_registers_a_vendor_account_and_sees_it_in_the_matrix() {
        var admin = fixtures.administrator();
        WebClient web = signIn(admin);
        web.get("/admin/accounts");
        assertThat(web.last().body()).contains("管理者権限を持つ利用者");
        web.post(
                "/admin/accounts",
                Map.of(
                        "loginId",
                        "vendor-x1",
                        "displayName",
                        "保守 試験",
                        "kind",
                        "VENDOR",
                        "jobType",
                        "VENDOR",
                        "roles",
                        "VENDOR",
                        "password",
                        "Vq9#tLm2!pXz"));
        assertThat(web.last().body()).contains("保守事業者のアカウントには有効期限");
        web.post(
                "/admin/accounts",
                Map.of(
                        "loginId",
                        "vendor-x1",
                        "displayName",
                        "保守 試験",
                        "kind",
                        "VENDOR",
                        "jobType",
                        "VENDOR",
                        "roles",
                        "VENDOR",
                        "expires",
                        "2027-03-31",
                        "password",
                        "Vq9#tLm2!pXz"));
        assertThat(web.path()).startsWith("/admin/accounts/");
        web.get("/admin/permissions");
        assertThat(web.last().body()).contains("保守 試験").contains("システム管理");
        assertThat(web.last().body()).contains("class=\"badge R\"");
    }

    @Test
    void disabling_an_account_ends_its_sessions_and_an_unlock_needs_a_reason() {
        var admin = fixtures.administrator();
        var clerk = fixtures.user("adm-clerk", JobType.CLERK, "CLERK");
        WebClient clerkWeb = signIn(clerk);
        assertThat(clerkWeb.path()).isEqualTo("/");
        WebClient web = signIn(admin);
        web.get("/admin/accounts/" + clerk.id());
        web.post("/admin/accounts/" + clerk.id() + "/status", Map.of("status", "DISABLED", "reason", "退職予定"));
        clerkWeb.get("/");
        assertThat(clerkWeb.path()).isEqualTo("/login");
    }

    @Test
    void a_registered_terminal_shows_its_credential_once() {
        var admin = fixtures.administrator();
        WebClient web = signIn(admin);
        web.get("/admin/terminals");
        web.post(
                "/admin/terminals",
                Map.of("name", "ADM-T-" + System.nanoTime(), "location", "外来", "idleLockSeconds", "120"));
        assertThat(web.last().body()).contains("この画面でしか表示しません");
        web.get("/admin/terminals");
        assertThat(web.last().body()).doesNotContain("この画面でしか表示しません");
    }
}
