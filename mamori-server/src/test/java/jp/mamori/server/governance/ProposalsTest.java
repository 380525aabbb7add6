package jp.mamori.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestClock;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.AccountFacts;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ProposalsTest extends ServerTest {

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    Proposals proposals;

    @Autowired
    AccountFacts accounts;

    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void an_account_unused_for_ninety_days_is_proposed_as_unneeded() {
        var idle = fixtures.user("idle", JobType.CLERK, "CLERK");
        assertThat(accounts.dormantSince(clock.instant().minus(Duration.ofDays(90))))
                .extracting(AccountFacts.AccountRef::loginId)
                .doesNotContain(idle.loginId());

        clock.advance(Duration.ofDays(91));
        assertThat(accounts.dormantSince(clock.instant().minus(Duration.ofDays(90))))
                .extracting(AccountFacts.AccountRef::loginId)
                .contains(idle.loginId());
        Proposals.Proposal p = proposals.compute(Proposals.Topic.UNNEEDED_ACCOUNTS);
        assertThat(p.reply()).isEqualTo(Answers.Reply.NO);
        assertThat(p.messageKey()).isEqualTo("governance.proposal.accounts.no");
        assertThat((Integer) p.args()[1]).isPositive();
    }

    @Test
    void an_expired_vendor_account_still_enabled_is_named() {
        var vendor = fixtures.vendor("vendor-expired", Instant.now().minus(Duration.ofDays(2)));
        assertThat(accounts.expiredButEnabled(clock.instant()))
                .extracting(AccountFacts.AccountRef::loginId)
                .contains(vendor.loginId());
        Proposals.Proposal p = proposals.compute(Proposals.Topic.UNNEEDED_ACCOUNTS);
        assertThat(p.reply()).isEqualTo(Answers.Reply.NO);
        // expired accounts are named before dormant ones, so the vendor is on the page
        assertThat(p.names()).contains(vendor.loginId());

        var officer = fixtures.user("so-prop", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get("/governance/checklist?year=2025&form=MEDICAL");
        assertThat(web.last().body()).contains(vendor.loginId()).contains("期限切れのまま有効なアカウントが");
    }

    @Test
    void second_factor_coverage_counts_people_with_totp_and_not_those_without() {
        var before = accounts.secondFactorCoverage();
        fixtures.user("with-totp", JobType.NURSE, "NURSE");
        var afterTotp = accounts.secondFactorCoverage();
        assertThat(afterTotp.people()).isEqualTo(before.people() + 1);
        assertThat(afterTotp.withSecondFactor()).isEqualTo(before.withSecondFactor() + 1);

        fixtures.vendor("no-factor", Instant.now().plus(Duration.ofDays(30)));
        var afterVendor = accounts.secondFactorCoverage();
        assertThat(afterVendor.people()).isEqualTo(afterTotp.people() + 1);
        assertThat(afterVendor.withSecondFactor()).isEqualTo(afterTotp.withSecondFactor());

        Proposals.Proposal p = proposals.compute(Proposals.Topic.SECOND_FACTOR);
        assertThat(p.reply()).isEqualTo(Answers.Reply.NO);
        assertThat(p.args())
                .containsExactly(afterVendor.withSecondFactor(), afterVendor.people(), afterVendor.percent());
    }

    @Test
    void the_permissions_matrix_and_password_rules_are_proposed_as_yes_with_their_evidence() {
        var admin = fixtures.administrator();
        Proposals.Proposal matrix = proposals.compute(Proposals.Topic.ACCESS_MATRIX);
        assertThat(matrix.reply()).isEqualTo(Answers.Reply.YES);
        assertThat(matrix.evidence()).isEqualTo("/admin/permissions");
        assertThat(accounts.accessMatrix().administrators())
                .extracting(AccountFacts.AccountRef::loginId)
                .contains(admin.loginId());

        Proposals.Proposal password = proposals.compute(Proposals.Topic.PASSWORD_RULES);
        assertThat(password.reply()).isEqualTo(Answers.Reply.YES);
        assertThat(password.args()).containsExactly(13, 8);
        assertThat(proposals.compute(Proposals.Topic.PASSWORD_REUSE).reply()).isEqualTo(Answers.Reply.YES);
        assertThat(proposals.compute(Proposals.Topic.BACKUP).reply()).isNull();
    }

    @Test
    void the_access_log_is_proposed_as_managed_once_events_are_recorded_and_a_checkpoint_is_signed()
            throws InterruptedException {
        var officer = fixtures.user("so-log", JobType.IT, "SECURITY_OFFICER");
        signIn(officer);
        Proposals.Proposal p = proposals.compute(Proposals.Topic.ACCESS_LOG);
        for (int i = 0; i < 40 && p.reply() != Answers.Reply.YES; i++) {
            // checkpoints are signed on a schedule of a few seconds
            Thread.sleep(500);
            p = proposals.compute(Proposals.Topic.ACCESS_LOG);
        }
        assertThat(p.reply()).isEqualTo(Answers.Reply.YES);
        assertThat((Long) p.args()[0]).isPositive();

        clock.advance(Duration.ofDays(3));
        assertThat(proposals.compute(Proposals.Topic.ACCESS_LOG).reply()).isEqualTo(Answers.Reply.NO);
    }

    @Test
    void adopting_a_proposal_records_the_person_who_confirmed_it() {
        var officer = fixtures.user("so-adopt", JobType.IT, "SECURITY_OFFICER");
        WebClient web = signIn(officer);
        web.get("/governance/checklist?year=2025&form=MEDICAL");
        assertThat(web.last().body()).contains("class=\"secondary adopt\"");
        var form = ChecklistAnswersTest.answer("2-⑧", "ALL", "YES", "2025-07-01", "", "");
        form.put("fromProposal", "true");
        assertThat(web.post("/governance/checklist/answer", form).statusCode()).isEqualTo(200);
        web.get("/governance/checklist/history?year=2025&form=MEDICAL&item=2-⑧");
        assertThat(web.last().body()).contains("試験 " + officer.loginId()).contains(">採用<");
    }
}
