package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestClock;
import jp.mamori.server.WebClient;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.AccountFacts;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import jp.mamori.server.identity.MamoriPrincipal;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class AccountReviewTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    AccountReviews reviews;

    @Autowired
    AccountFacts accounts;

    @Autowired
    Proposals proposals;

    @Autowired
    AccountReviewDashboard dashboard;

    @Autowired
    SecurityEvents securityEvents;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void a_review_points_out_administrators_dormant_and_expired_accounts_and_is_signed_off_once_all_are_decided()
            throws Exception {
        var admin = fixtures.administrator();
        var idle = fixtures.user("ar-idle", JobType.CLERK, "CLERK");
        var expired = fixtures.vendor("ar-vendor", Instant.now().minus(Duration.ofDays(2)));
        var officer = fixtures.user("ar-so", JobType.IT, "SECURITY_OFFICER");
        finishOpenReviews(officer);

        // Ninety-one days later nobody of them has signed in: the clerk is dormant.
        LocalDate today = reviews.today();
        clock.advance(Duration.ofDays(91));
        long id = reviews.start(today, person(officer));
        clock.reset();

        Map<String, AccountReviews.Row> rows = byLogin(reviews.rows(id));
        assertThat(rows.get(admin.loginId()).findings()).contains(AccountReviews.Finding.ADMINISTRATOR);
        assertThat(rows.get(admin.loginId()).roles()).contains("システム管理者");
        assertThat(rows.get(idle.loginId()).findings()).contains(AccountReviews.Finding.DORMANT);
        assertThat(rows.get(idle.loginId()).jobType()).isEqualTo("CLERK");
        assertThat(rows.get(idle.loginId()).secondFactors()).containsExactly("TOTP");
        assertThat(rows.get(expired.loginId()).findings()).contains(AccountReviews.Finding.EXPIRED_ENABLED);
        assertThat(rows.get(expired.loginId()).secondFactors()).isEmpty();

        WebClient web = signIn(officer);
        web.get("/governance/account-review/" + id);
        assertThat(web.last().statusCode()).isEqualTo(200);
        assertThat(web.last().body())
                .contains(idle.loginId())
                .contains("長期未使用")
                .contains("期限切れのまま有効")
                .contains("管理者権限")
                .doesNotContain(idle.password());

        // A second review cannot start while this one is open.
        web.get("/governance/account-review");
        web.post("/governance/account-review", Map.of("asOf", today.toString()));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("棚卸し #" + id).contains("まだ署名されていません");

        // A flagged account kept without a reason is refused, and nothing is stored.
        web.get("/governance/account-review/" + id);
        web.post(
                "/governance/account-review/" + id + "/decision",
                Map.of("account", String.valueOf(idle.id()), "decision", "KEEP", "note", " "));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains(idle.loginId() + ": 指摘のあるアカウント");
        assertThat(byLogin(reviews.rows(id)).get(idle.loginId()).decision()).isNull();

        // The security officer records the decision to disable; disabling itself is for administrators.
        web.get("/governance/account-review/" + id);
        web.post(
                "/governance/account-review/" + id + "/decision",
                Map.of(
                        "account", String.valueOf(idle.id()),
                        "decision", "DISABLE",
                        "note", "退職済み(試験)",
                        "disableNow", "true"));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("無効化できるのはシステム管理者だけです");
        web.get("/governance/account-review/" + id);
        web.post(
                "/governance/account-review/" + id + "/decision",
                Map.of("account", String.valueOf(idle.id()), "decision", "DISABLE", "note", "退職済み(試験)"));
        assertThat(web.last().statusCode()).isEqualTo(200);
        var decided = byLogin(reviews.rows(id)).get(idle.loginId()).decision();
        assertThat(decided.decision()).isEqualTo(AccountReviews.Decision.DISABLE);
        assertThat(decided.accountDisabled()).isFalse();
        assertThat(decided.decidedByName()).isEqualTo("試験 " + officer.loginId());

        // Sign-off is refused while accounts are undecided.
        web.get("/governance/account-review/" + id);
        web.post("/governance/account-review/" + id + "/sign-off", Map.of("summary", "試験"));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("判断のない行が").contains("署名できません");
        assertThat(reviews.review(id).orElseThrow().signedOff()).isFalse();

        // Unflagged accounts are kept in one step; the flagged ones one by one.
        web.get("/governance/account-review/" + id);
        web.post("/governance/account-review/" + id + "/keep-unflagged", Map.of());
        assertThat(web.last().statusCode()).isEqualTo(200);
        assertThat(reviews.rows(id).stream().filter(r -> !r.flagged()).allMatch(r -> r.decision() != null))
                .isTrue();
        decideRest(id, officer);
        web.get("/governance/account-review/" + id);
        web.post("/governance/account-review/" + id + "/sign-off", Map.of("summary", "全件確認(試験)"));
        assertThat(web.last().statusCode()).isEqualTo(200);
        assertThat(web.last().body()).contains("署名しました");
        var signed = reviews.review(id).orElseThrow().signOff();
        assertThat(signed.signedByName()).isEqualTo("試験 " + officer.loginId());
        assertThat(signed.summary()).isEqualTo("全件確認(試験)");
        assertThat(securityEvents.latest(50))
                .anySatisfy(e -> assertThat(e.detail()).containsEntry("action", "account_review_signed_off"));

        // Signed off is final: the page refuses, and so does the database, even to its owner.
        web.post(
                "/governance/account-review/" + id + "/decision",
                Map.of("account", String.valueOf(idle.id()), "decision", "KEEP", "note", "やはり継続"));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("署名済みのため、変更できません");
        web.post("/governance/account-review/" + id + "/sign-off", Map.of("summary", "二度目"));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThatThrownBy(() -> jdbc.sql("UPDATE account_review_decision SET decision = 'KEEP' WHERE review_id = ?")
                        .param(id)
                        .update())
                .hasMessageContaining("cannot be changed or deleted");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM account_review_sign_off WHERE review_id = ?")
                        .param(id)
                        .update())
                .hasMessageContaining("cannot be changed or deleted");
        assertThatThrownBy(() -> jdbc.sql(
                                """
                                INSERT INTO account_review_decision (review_id, account_id, decision, decided_by,
                                    decided_by_name, decided_at) VALUES (?, ?, 'KEEP', 1, 'x', now())""")
                        .params(id, idle.id())
                        .update())
                .hasMessageContaining("is signed off");
        assertThat(byLogin(reviews.rows(id)).get(idle.loginId()).decision().decision())
                .isEqualTo(AccountReviews.Decision.DISABLE);

        // The record: CSV with a BOM for spreadsheet programs, and PDF with the same rows.
        var csv = web.getBytes("/governance/account-review/" + id + ".csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).startsWith(0xEF, 0xBB, 0xBF);
        String text = new String(csv.body(), StandardCharsets.UTF_8);
        assertThat(text).contains("ログインID,氏名,種別,職種");
        assertThat(line(text, idle.loginId()))
                .contains("事務職")
                .contains("長期未使用")
                .contains("無効化")
                .contains("退職済み(試験)");
        assertThat(line(text, expired.loginId())).contains("事業者").contains("期限切れのまま有効");

        var pdf = web.getBytes("/governance/account-review/" + id + ".pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
        String flat = pdfText(pdf.body());
        assertThat(flat)
                .contains("アカウント棚卸し記録(基準日" + today + ")")
                .contains("TestHospital")
                .contains("試験" + officer.loginId())
                .contains("全件確認(試験)")
                .contains(idle.loginId())
                .contains("期限切れのまま有効");
        assertThat(securityEvents.latest(20)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(SecurityEventType.GOVERNANCE_EXPORTED);
            assertThat(e.detail()).containsEntry("format", "pdf");
        });
    }

    @Test
    void an_administrator_disables_an_account_from_the_review_through_the_identity_module() {
        var admin = fixtures.administrator();
        var leaver = fixtures.user("ar-leaver", JobType.NURSE, "NURSE");
        finishOpenReviews(admin);
        WebClient web = signIn(admin);
        web.get("/governance/account-review");
        web.post("/governance/account-review", Map.of("asOf", reviews.today().toString()));
        assertThat(web.last().statusCode()).isEqualTo(200);
        long id = reviews.open().orElseThrow().id();
        assertThat(web.path()).isEqualTo("/governance/account-review/" + id);
        assertThat(web.last().body()).contains("今すぐ無効化する");

        web.post(
                "/governance/account-review/" + id + "/decision",
                Map.of(
                        "account", String.valueOf(leaver.id()),
                        "decision", "DISABLE",
                        "note", "異動のため不要(試験)",
                        "disableNow", "true"));
        assertThat(web.last().statusCode()).isEqualTo(200);

        var snapshot = accounts.allAccounts().stream()
                .filter(a -> a.id() == leaver.id())
                .findFirst()
                .orElseThrow();
        assertThat(snapshot.status()).isEqualTo("DISABLED");
        assertThat(byLogin(reviews.rows(id)).get(leaver.loginId()).decision().accountDisabled())
                .isTrue();
        // The identity module logged it as its own change, with the review as the reason.
        assertThat(securityEvents.latestOf(leaver.id(), 5)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(SecurityEventType.ACCOUNT_CHANGED);
            assertThat(e.detail()).containsEntry("action", "status:DISABLED").containsEntry("by", admin.loginId());
            assertThat(e.detail().get("reason")).contains("アカウント棚卸し #" + id).contains("異動のため不要(試験)");
        });
        // The account can no longer sign in.
        WebClient gone = newClient();
        gone.get("/login");
        gone.post("/login", Map.of("loginId", leaver.loginId(), "password", leaver.password()));
        assertThat(gone.path()).doesNotStartWith("/login/totp");

        // Disabling twice is refused; nothing changes.
        web.get("/governance/account-review/" + id);
        web.post(
                "/governance/account-review/" + id + "/decision",
                Map.of(
                        "account", String.valueOf(leaver.id()),
                        "decision", "DISABLE",
                        "note", "もう一度",
                        "disableNow", "true"));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("すでに無効です");
        finishOpenReviews(admin);
    }

    @Test
    void the_checklist_cites_the_latest_signed_off_review_and_it_falls_due_after_six_months() {
        var officer = fixtures.user("ar-cite", JobType.IT, "SECURITY_OFFICER");
        finishOpenReviews(officer);
        long id = reviews.start(reviews.today(), person(officer));
        reviews.keepUnflagged(id, person(officer));
        decideRest(id, officer);
        reviews.signOff(id, "引用の試験", person(officer));

        Proposals.Proposal accountsProposal = proposals.compute(Proposals.Topic.UNNEEDED_ACCOUNTS);
        assertThat(accountsProposal.citation()).isNotNull();
        assertThat(accountsProposal.citation().messageKey()).isEqualTo("governance.proposal.accountReview.signed");
        assertThat(accountsProposal.citation().args()[0]).isEqualTo(String.valueOf(id));
        assertThat(accountsProposal.citation().args()[1])
                .isEqualTo(reviews.today().toString());
        assertThat(accountsProposal.citation().link()).isEqualTo("/governance/account-review/" + id);
        assertThat(proposals.compute(Proposals.Topic.ACCESS_MATRIX).citation().link())
                .isEqualTo("/governance/account-review/" + id);
        assertThat(proposals.compute(Proposals.Topic.PASSWORD_RULES).citation()).isNull();

        WebClient web = signIn(officer);
        web.get("/governance/checklist?year=2025&form=MEDICAL");
        assertThat(web.last().body())
                .contains("根拠: アカウント棚卸し #" + id + "(基準日 " + reviews.today())
                .contains("試験 " + officer.loginId() + " が署名");
        web.get("/governance");
        assertThat(web.last().body()).contains("id=\"account-review-due\"").contains("立入検査用資料一式");
        assertThat(dashboard.cards().get(0).level()).isEqualTo("ok");
        assertThat(dashboard.cards().get(0).value())
                .isEqualTo(reviews.today().plusMonths(6).toString());

        clock.advance(Duration.ofDays(200));
        assertThat(reviews.schedule().state()).isEqualTo(AccountReviews.Due.OVERDUE);
        assertThat(dashboard.cards().get(0).level()).isEqualTo("alert");
        assertThat(proposals
                        .compute(Proposals.Topic.UNNEEDED_ACCOUNTS)
                        .citation()
                        .messageKey())
                .isEqualTo("governance.proposal.accountReview.overdue");
    }

    @Test
    void bad_input_gets_a_clear_refusal_and_auditors_only_read() {
        var officer = fixtures.user("ar-bad", JobType.IT, "SECURITY_OFFICER");
        finishOpenReviews(officer);
        WebClient web = signIn(officer);
        web.get("/governance/account-review");
        web.post("/governance/account-review", Map.of("asOf", "2025-13-40"));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("「2025-13-40」は日付として読めません");
        web.post(
                "/governance/account-review",
                Map.of("asOf", reviews.today().plusDays(3).toString()));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("は未来の日付です");
        assertThat(reviews.open()).isEmpty();

        long id = reviews.start(reviews.today(), person(officer));
        web.get("/governance/account-review/" + id);
        web.post(
                "/governance/account-review/" + id + "/decision",
                Map.of("account", String.valueOf(officer.id()), "decision", "DELETE", "note", "x"));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("判断「DELETE」はありません");
        web.get("/governance/account-review/" + id);
        web.post(
                "/governance/account-review/" + id + "/decision",
                Map.of("account", "999999999", "decision", "KEEP", "note", "x"));
        assertThat(web.last().statusCode()).isEqualTo(400);
        assertThat(web.last().body()).contains("アカウント 999999999 は棚卸し #" + id + " にありません");
        assertThat(web.getBytes("/governance/account-review/999999999.pdf").statusCode())
                .isEqualTo(404);

        var auditor = fixtures.user("ar-aud", JobType.IT, "AUDITOR");
        WebClient reader = signIn(auditor);
        reader.get("/governance/account-review/" + id);
        assertThat(reader.last().statusCode()).isEqualTo(200);
        assertThat(reader.last().body()).contains(officer.loginId()).doesNotContain("/decision\"");
        reader.post(
                "/governance/account-review/" + id + "/decision",
                Map.of("account", String.valueOf(officer.id()), "decision", "KEEP", "note", "x"));
        assertThat(reader.last().statusCode()).isEqualTo(403);
        assertThat(byLogin(reviews.rows(id)).get(officer.loginId()).decision()).isNull();

        var nurse = fixtures.user("ar-nurse", JobType.NURSE, "NURSE");
        WebClient other = signIn(nurse);
        other.get("/governance/account-review");
        assertThat(other.last().statusCode()).isEqualTo(403);
        finishOpenReviews(officer);
    }

    /** Signs off whatever review another test left open, so this one may start its own. */
    private void finishOpenReviews(IdentityFixtures.TestUser who) {
        reviews.open().ifPresent(r -> {
            reviews.keepUnflagged(r.id(), person(who));
            decideRest(r.id(), who);
            reviews.signOff(r.id(), null, person(who));
        });
    }

    private void decideRest(long id, IdentityFixtures.TestUser who) {
        for (AccountReviews.Row r : reviews.rows(id)) {
            if (r.decision() == null) {
                reviews.decide(id, r.accountId(), AccountReviews.Decision.KEEP, "試験で継続", false, principal(who));
            }
        }
    }

    static Answers.Person person(IdentityFixtures.TestUser u) {
        return new Answers.Person(u.id(), u.loginId(), "試験 " + u.loginId());
    }

    static MamoriPrincipal principal(IdentityFixtures.TestUser u) {
        return new MamoriPrincipal(
                u.id(),
                u.loginId(),
                "試験 " + u.loginId(),
                JobType.IT,
                Set.of("SECURITY_OFFICER"),
                false,
                true,
                null,
                null);
    }

    private static Map<String, AccountReviews.Row> byLogin(List<AccountReviews.Row> rows) {
        return rows.stream().collect(java.util.stream.Collectors.toMap(AccountReviews.Row::loginId, r -> r));
    }

    private static String line(String csv, String loginId) {
        return csv.lines().filter(l -> l.startsWith(loginId + ",")).findFirst().orElseThrow();
    }

    static String pdfText(byte[] pdf) throws java.io.IOException {
        try (var doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc).replaceAll("\\s+", "");
        }
    }
}
