package jp.mamori.server.governance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.mamori.server.audit.AccessLogFacts;
import jp.mamori.server.backup.BackupEvidence;
import jp.mamori.server.identity.AccountFacts;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * What Mamori can say about a checklist item from its own state, shown beside the answer. A
 * proposal is never an answer: a person adopts it (採用) and is recorded as the one who answered.
 */
@Service
@EnableConfigurationProperties(GovernanceSettings.class)
class Proposals {

    /** The measurable topics and the item numbers they belong to, in the R7 and R6 numbering. */
    enum Topic {
        ASSET_REGISTER,
        ACCESS_MATRIX,
        UNNEEDED_ACCOUNTS,
        ACCESS_LOG,
        PASSWORD_RULES,
        PASSWORD_REUSE,
        SECOND_FACTOR,
        BACKUP,
        SOURCE_RESTRICTION,
        OPERATIONS_RULES
    }

    private static final Map<String, Topic> TOPICS = Map.ofEntries(
            Map.entry("2-①", Topic.ASSET_REGISTER),
            Map.entry("2-(1)", Topic.ASSET_REGISTER),
            Map.entry("2-④", Topic.ACCESS_MATRIX),
            Map.entry("2-(4)", Topic.ACCESS_MATRIX),
            Map.entry("2-⑤", Topic.UNNEEDED_ACCOUNTS),
            Map.entry("2-(5)", Topic.UNNEEDED_ACCOUNTS),
            Map.entry("2-⑥", Topic.ACCESS_LOG),
            Map.entry("2-(6)", Topic.ACCESS_LOG),
            Map.entry("2-⑦", Topic.PASSWORD_RULES),
            Map.entry("2-⑧", Topic.PASSWORD_REUSE),
            Map.entry("2-⑩", Topic.SECOND_FACTOR),
            Map.entry("3-②", Topic.BACKUP),
            Map.entry("3-(2)", Topic.BACKUP),
            Map.entry("2-⑬", Topic.SOURCE_RESTRICTION),
            Map.entry("2-(8)", Topic.SOURCE_RESTRICTION),
            Map.entry("3-④", Topic.OPERATIONS_RULES));

    /**
     * @param reply the proposed answer, or null when Mamori has no data and a person answers by hand
     * @param messageKey what was measured, as a message with {@code args}
     * @param evidence the page that shows it
     * @param names accounts named by the finding (at most {@value #MAX_NAMES})
     * @param citation a signed-off record that backs the proposal, such as the latest account review
     */
    record Proposal(
            Topic topic,
            Answers.@Nullable Reply reply,
            String messageKey,
            Object[] args,
            String evidence,
            List<String> names,
            @Nullable Citation citation) {

        Proposal(
                Topic topic,
                Answers.@Nullable Reply reply,
                String messageKey,
                Object[] args,
                String evidence,
                List<String> names) {
            this(topic, reply, messageKey, args, evidence, names, null);
        }

        Proposal cite(@Nullable Citation c) {
            return new Proposal(topic, reply, messageKey, args, evidence, names, c);
        }
    }

    /** A record cited as evidence: what it says, as a message with {@code args}, and where it is. */
    record Citation(String messageKey, Object[] args, String link) {}

    static final int MAX_NAMES = 20;

    private final AccountFacts accounts;
    private final AccessLogFacts accessLog;
    private final BackupEvidence backups;
    private final AssetRegister register;
    private final ConnectionRegister connections;
    private final GovernanceSettings settings;
    private final Clock clock;
    private final AccountReviews accountReviews;
    private final Policies policies;

    Proposals(
            AccountFacts accounts,
            AccessLogFacts accessLog,
            BackupEvidence backups,
            AssetRegister register,
            ConnectionRegister connections,
            GovernanceSettings settings,
            Clock clock,
            AccountReviews accountReviews,
            Policies policies) {
        this.accountReviews = accountReviews;
        this.policies = policies;
        this.accounts = accounts;
        this.connections = connections;
        this.backups = backups;
        this.register = register;
        this.accessLog = accessLog;
        this.settings = settings;
        this.clock = clock;
    }

    /** The proposal for an item of the institution's or pharmacy's sheet; none for the vendor's. */
    Optional<Proposal> forItem(Checklist sheet, String itemNo) {
        if (sheet.form() == Checklist.Form.VENDOR) {
            return Optional.empty();
        }
        Topic topic = TOPICS.get(itemNo);
        return topic == null ? Optional.empty() : Optional.of(compute(topic));
    }

    /** 2-④ and 2-⑤ cite the latest signed-off account review (アカウント棚卸し), and say when it is overdue. */
    private @Nullable Citation accountReview(Topic topic) {
        if (topic != Topic.ACCESS_MATRIX && topic != Topic.UNNEEDED_ACCOUNTS) {
            return null;
        }
        AccountReviews.Schedule s = accountReviews.schedule();
        AccountReviews.Review last = s.last();
        if (last == null || last.signOff() == null) {
            return new Citation("governance.proposal.accountReview.none", new Object[0], "/governance/account-review");
        }
        String link = "/governance/account-review/" + last.id();
        if (s.state() == AccountReviews.Due.OVERDUE) {
            return new Citation(
                    "governance.proposal.accountReview.overdue",
                    new Object[] {
                        String.valueOf(last.id()),
                        last.asOf().toString(),
                        last.signOff().signedByName(),
                        String.valueOf(s.due())
                    },
                    link);
        }
        AccountReviews.Tally t = AccountReviews.Tally.of(accountReviews.rows(last.id()));
        return new Citation(
                "governance.proposal.accountReview.signed",
                new Object[] {
                    String.valueOf(last.id()),
                    last.asOf().toString(),
                    last.signOff().signedByName(),
                    t.accounts(),
                    t.changeRights(),
                    t.disable()
                },
                link);
    }

    Proposal compute(Topic topic) {
        return measure(topic).cite(accountReview(topic));
    }

    private Proposal measure(Topic topic) {
        Instant now = clock.instant();
        return switch (topic) {
            case ASSET_REGISTER -> {
                int assets = register.count();
                var review = register.latestReview();
                LocalDate yearAgo = LocalDate.now(clock.withZone(Answers.JAPAN)).minusMonths(12);
                boolean reviewed =
                        review.isPresent() && !review.get().reviewedOn().isBefore(yearAgo);
                boolean ok = assets > 0 && reviewed;
                String key = assets == 0
                        ? "governance.proposal.register.empty"
                        : reviewed ? "governance.proposal.register.yes" : "governance.proposal.register.stale";
                yield new Proposal(
                        topic,
                        ok ? Answers.Reply.YES : Answers.Reply.NO,
                        key,
                        new Object[] {
                            assets,
                            review.map(r -> r.reviewedOn().toString()).orElse("—"),
                            review.map(AssetRegister.Review::reviewedByName).orElse("—")
                        },
                        "/governance/assets",
                        List.of());
            }
            case BACKUP -> backup(topic, now);
            case SOURCE_RESTRICTION -> sourceRestriction(topic);
            case OPERATIONS_RULES -> operationsRules(topic);
            case ACCESS_MATRIX -> {
                var m = accounts.accessMatrix();
                boolean ok = m.rolesWithPermissions() > 0 && !m.administrators().isEmpty();
                yield new Proposal(
                        topic,
                        ok ? Answers.Reply.YES : Answers.Reply.NO,
                        ok ? "governance.proposal.matrix.yes" : "governance.proposal.matrix.no",
                        new Object[] {
                            m.roles(),
                            m.rolesWithPermissions(),
                            m.permissionEntries(),
                            m.administrators().size()
                        },
                        "/admin/permissions",
                        names(m.administrators()));
            }
            case UNNEEDED_ACCOUNTS -> {
                var dormant = accounts.dormantSince(now.minus(Duration.ofDays(settings.dormantDays())));
                var expired = accounts.expiredButEnabled(now);
                boolean ok = dormant.isEmpty() && expired.isEmpty();
                List<AccountFacts.AccountRef> named = new ArrayList<>(expired);
                named.addAll(dormant);
                yield new Proposal(
                        topic,
                        ok ? Answers.Reply.YES : Answers.Reply.NO,
                        ok ? "governance.proposal.accounts.yes" : "governance.proposal.accounts.no",
                        new Object[] {settings.dormantDays(), dormant.size(), expired.size()},
                        "/admin/accounts",
                        names(named));
            }
            case ACCESS_LOG -> {
                long events = accessLog.eventsSince(now.minus(Duration.ofDays(30)));
                Instant checkpoint = accessLog.latestCheckpointAt();
                boolean recent = checkpoint != null
                        && checkpoint.isAfter(now.minus(Duration.ofHours(settings.checkpointHours())));
                boolean ok = events > 0 && recent;
                yield new Proposal(
                        topic,
                        ok ? Answers.Reply.YES : Answers.Reply.NO,
                        ok ? "governance.proposal.log.yes" : "governance.proposal.log.no",
                        new Object[] {
                            events, checkpoint == null ? "—" : checkpoint.toString(), settings.checkpointHours()
                        },
                        "/audit",
                        List.of());
            }
            case PASSWORD_RULES -> {
                var r = accounts.passwordRules();
                boolean ok = r.mixRequired() && r.minLengthWithSecondFactor() >= 8 && r.minLengthSingleFactor() >= 13;
                yield new Proposal(
                        topic,
                        ok ? Answers.Reply.YES : Answers.Reply.NO,
                        "governance.proposal.password",
                        new Object[] {r.minLengthSingleFactor(), r.minLengthWithSecondFactor()},
                        "/account",
                        List.of());
            }
            case PASSWORD_REUSE -> {
                var r = accounts.passwordRules();
                boolean ok = r.reuseBlockedLast() > 0;
                yield new Proposal(
                        topic,
                        ok ? Answers.Reply.YES : Answers.Reply.NO,
                        "governance.proposal.reuse",
                        new Object[] {r.reuseBlockedLast()},
                        "/account",
                        List.of());
            }
            case SECOND_FACTOR -> {
                var c = accounts.secondFactorCoverage();
                boolean ok = c.people() > 0 && c.withSecondFactor() == c.people();
                yield new Proposal(
                        topic,
                        ok ? Answers.Reply.YES : Answers.Reply.NO,
                        "governance.proposal.secondFactor",
                        new Object[] {c.withSecondFactor(), c.people(), c.percent()},
                        "/admin/accounts",
                        List.of());
            }
        };
    }

    private static List<String> names(List<AccountFacts.AccountRef> refs) {
        return refs.stream()
                .limit(MAX_NAMES)
                .map(AccountFacts.AccountRef::loginId)
                .toList();
    }

    /**
     * 3-④ (R7): an approved 運用管理規程 exists and its review is not overdue. Without one Mamori says
     * いいえ: the item asks whether the rules are in place, and an approval on record is what shows it.
     */
    private Proposal operationsRules(Topic topic) {
        var rules = policies.operationsRules();
        if (rules.isEmpty()) {
            return new Proposal(
                    topic,
                    Answers.Reply.NO,
                    "governance.proposal.operationsRules.none",
                    new Object[0],
                    "/governance/policies",
                    List.of());
        }
        Policies.Document d = rules.get();
        Policies.Version v = d.current().orElseThrow();
        Policies.Approval a = java.util.Objects.requireNonNull(v.approval());
        boolean overdue = a.reviewDue().isBefore(policies.today());
        return new Proposal(
                topic,
                overdue ? Answers.Reply.NO : Answers.Reply.YES,
                overdue ? "governance.proposal.operationsRules.overdue" : "governance.proposal.operationsRules.yes",
                overdue
                        ? new Object[] {d.title(), v.label(), a.reviewDue().toString()}
                        : new Object[] {
                            d.title(),
                            v.label(),
                            a.approvedOn().toString(),
                            a.reviewDue().toString()
                        },
                "/governance/policies#policy-" + d.id(),
                List.of());
    }

    /**
     * 2-⑬: every VPN and remote-maintenance connection accepts only listed sources, no
     * remote-maintenance line is always on, and the connections register was reviewed within the
     * last 12 months. The connections found are named with what is wrong.
     */
    private Proposal sourceRestriction(Topic topic) {
        List<NetworkConnections.Connection> remote = connections.connections().stream()
                .filter(c -> c.kind().remoteAccess())
                .toList();
        if (remote.isEmpty()) {
            return new Proposal(
                    topic,
                    null,
                    "governance.proposal.remote.none",
                    new Object[0],
                    "/governance/connections",
                    List.of());
        }
        var review = connections.latestReview();
        LocalDate yearAgo = LocalDate.now(clock.withZone(Answers.JAPAN)).minusMonths(12);
        boolean reviewed = review.isPresent() && !review.get().reviewedOn().isBefore(yearAgo);
        List<String> findings = new ArrayList<>();
        long open = 0;
        long alwaysOn = 0;
        for (var c : remote) {
            var f = c.findings();
            if (f.contains(NetworkConnections.Finding.NO_SOURCE_RESTRICTION)) {
                open++;
            }
            if (f.contains(NetworkConnections.Finding.ALWAYS_ON_REMOTE)) {
                alwaysOn++;
            }
            if (!f.isEmpty() && findings.size() < MAX_NAMES) {
                findings.add(c.name() + ": "
                        + String.join(
                                "、",
                                f.stream()
                                        .map(NetworkConnections.Finding::label)
                                        .toList()));
            }
        }
        boolean ok = findings.isEmpty() && reviewed;
        return new Proposal(
                topic,
                ok ? Answers.Reply.YES : Answers.Reply.NO,
                ok ? "governance.proposal.remote.yes" : "governance.proposal.remote.no",
                new Object[] {
                    remote.size(),
                    review.map(r -> r.reviewedOn().toString()).orElse("—"),
                    review.map(NetworkConnections.Review::reviewedByName).orElse("—"),
                    open,
                    alwaysOn
                },
                "/governance/connections",
                findings);
    }

    /**
     * 3-②: every dataset kind has at least the guideline's generations (EHR 5, others 3), at least one
     * repository keeps them where the operational side cannot delete them, the newest generation is
     * at most two days old, and a restore drill passed with a valid signature in the last 12 months.
     */
    private Proposal backup(Topic topic, Instant now) {
        var repos = backups.repositories();
        if (repos.isEmpty()) {
            return new Proposal(topic, null, "governance.proposal.backup.none", new Object[0], "/backup", List.of());
        }
        long kinds = 0;
        List<String> short_ = new java.util.ArrayList<>();
        boolean locked = false;
        Instant newest = null;
        Instant drill = null;
        for (var r : repos) {
            locked |= r.locked();
            for (var d : r.datasets()) {
                kinds++;
                long needed = "ehr-db".equals(d.kind()) ? 5 : 3;
                if (d.generations() < needed) {
                    short_.add(r.name() + " / " + d.kind() + ": " + d.generations() + "/" + needed);
                }
                if (newest == null || d.newest().isAfter(newest)) {
                    newest = d.newest();
                }
            }
            if (r.lastDrill() != null
                    && r.lastDrill().passed()
                    && r.lastDrill().signatureValid()
                    && (drill == null || r.lastDrill().startedAt().isAfter(drill))) {
                drill = r.lastDrill().startedAt();
            }
        }
        boolean fresh = newest != null && newest.isAfter(now.minus(java.time.Duration.ofDays(2)));
        boolean drilled = drill != null && drill.isAfter(now.minus(java.time.Duration.ofDays(366)));
        boolean ok = kinds > 0 && short_.isEmpty() && locked && fresh && drilled;
        return new Proposal(
                topic,
                ok ? Answers.Reply.YES : Answers.Reply.NO,
                ok ? "governance.proposal.backup.yes" : "governance.proposal.backup.no",
                new Object[] {
                    kinds,
                    locked ? "○" : "×",
                    newest == null
                            ? "—"
                            : newest.atZone(Answers.JAPAN).toLocalDate().toString(),
                    drill == null
                            ? "—"
                            : drill.atZone(Answers.JAPAN).toLocalDate().toString()
                },
                "/backup",
                short_);
    }
}
