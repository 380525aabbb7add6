package jp.mamori.server.governance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.AccountDeactivation;
import jp.mamori.server.identity.AccountFacts;
import jp.mamori.server.identity.AccountKind;
import jp.mamori.server.identity.MamoriPrincipal;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The periodic account review (アカウント棚卸し) that checklist items 2-④ (rights by job and
 * information category) and 2-⑤ (unneeded accounts removed) ask for: every account snapshotted with
 * what needs a look, a decision per account — 継続 (keep), 権限変更 (change rights), 無効化 (disable) —
 * and a sign-off once every account has one. A signed-off review is a record and never changes.
 */
@Service
@EnableConfigurationProperties(AccountReviewSettings.class)
class AccountReviews {

    /** What the review points out about an account, computed when the review starts. */
    enum Finding {
        /** holds administrator rights */
        ADMINISTRATOR,
        /** past its expiry date and still enabled */
        EXPIRED_ENABLED,
        /** a vendor's account without an expiry date */
        VENDOR_NO_EXPIRY,
        /** enabled, a person's, and no sign-in for the dormant days */
        DORMANT,
        /** disabled or retired since the last signed-off review (or ever, at the first review) */
        DISABLED_SINCE_LAST,
        /** a system account: no person signs in with it, someone must still own it */
        SYSTEM_ACCOUNT
    }

    /** 継続, 権限変更, 無効化. */
    enum Decision {
        KEEP,
        CHANGE_RIGHTS,
        DISABLE
    }

    /** The state of the schedule: never reviewed, reviewed in time, due within 30 days, overdue. */
    enum Due {
        NEVER,
        OK,
        SOON,
        OVERDUE
    }

    static final int DUE_SOON_DAYS = 30;
    static final int MAX_NOTE = 1000;

    record SignOff(long signedBy, String signedByName, Instant signedAt, @Nullable String summary) {

        /** Japan time, to the minute, for pages. */
        public String signedAtText() {
            return AccountReviewExport.time(signedAt);
        }
    }

    /**
     * @param asOf the day the review is for (棚卸し基準日)
     * @param previousId the signed-off review before it, against which "disabled since" is counted
     */
    record Review(
            long id,
            LocalDate asOf,
            int dormantDays,
            @Nullable Long previousId,
            String startedByName,
            Instant startedAt,
            @Nullable SignOff signOff) {

        boolean signedOff() {
            return signOff != null;
        }

        public String startedAtText() {
            return AccountReviewExport.time(startedAt);
        }
    }

    /** A decision in force on one account of a review. */
    record RowDecision(
            Decision decision,
            @Nullable String note,
            boolean accountDisabled,
            String decidedByName,
            Instant decidedAt) {

        public String decidedAtText() {
            return AccountReviewExport.time(decidedAt);
        }
    }

    /** One account as it was when the review started, its findings and the decision in force. */
    record Row(
            long accountId,
            String loginId,
            String displayName,
            String jobType,
            @Nullable String department,
            String roles,
            boolean administrator,
            AccountKind kind,
            String status,
            @Nullable Instant statusChangedAt,
            @Nullable Instant expiresAt,
            @Nullable Instant lastLoginAt,
            List<String> secondFactors,
            List<Finding> findings,
            @Nullable RowDecision decision) {

        boolean flagged() {
            return !findings.isEmpty();
        }

        /** Days in Japan, for pages; empty when there is none. */
        public String expiresOn() {
            return AccountReviewExport.day(expiresAt);
        }

        public String lastLoginOn() {
            return AccountReviewExport.day(lastLoginAt);
        }
    }

    /** Counts of a review, for its page, its PDF and the checklist's proposals. */
    record Tally(int accounts, int flagged, int undecided, int keep, int changeRights, int disable, int disabledNow) {

        static Tally of(List<Row> rows) {
            int flagged = 0, undecided = 0, keep = 0, change = 0, disable = 0, now = 0;
            for (Row r : rows) {
                flagged += r.flagged() ? 1 : 0;
                if (r.decision() == null) {
                    undecided++;
                    continue;
                }
                switch (r.decision().decision()) {
                    case KEEP -> keep++;
                    case CHANGE_RIGHTS -> change++;
                    case DISABLE -> disable++;
                }
                now += r.decision().accountDisabled() ? 1 : 0;
            }
            return new Tally(rows.size(), flagged, undecided, keep, change, disable, now);
        }
    }

    /**
     * @param last the latest signed-off review
     * @param due the day the next review is due, or null when there has never been one
     * @param open the review started and not yet signed off
     */
    record Schedule(@Nullable Review last, @Nullable LocalDate due, Due state, @Nullable Review open) {}

    private final JdbcClient jdbc;
    private final AccountFacts accounts;
    private final AccountDeactivation deactivation;
    private final SecurityEvents events;
    private final GovernanceSettings settings;
    private final AccountReviewSettings schedule;
    private final Clock clock;

    AccountReviews(
            JdbcClient jdbc,
            AccountFacts accounts,
            AccountDeactivation deactivation,
            SecurityEvents events,
            GovernanceSettings settings,
            AccountReviewSettings schedule,
            Clock clock) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.deactivation = deactivation;
        this.events = events;
        this.settings = settings;
        this.schedule = schedule;
        this.clock = clock;
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(Answers.JAPAN));
    }

    /**
     * Starts a review for the day: every account as it stands now, with its findings. Refused while
     * another review is open, and for a day in the future.
     */
    @Transactional
    long start(LocalDate asOf, Answers.Person who) {
        LocalDate today = today();
        if (asOf.isAfter(today)) {
            throw new AnswerRefused("accountreview.error.asOfInFuture", asOf, today);
        }
        // one review at a time: two people starting at once must not both succeed
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('account_review'))").query(rs -> {});
        Optional<Review> open = open();
        if (open.isPresent()) {
            throw new AnswerRefused(
                    "accountreview.error.openExists",
                    String.valueOf(open.get().id()),
                    open.get().asOf());
        }
        Optional<Review> previous = latestSignedOff();
        Instant now = clock.instant();
        long id = jdbc.sql(
                        """
                        INSERT INTO account_review (as_of, dormant_days, previous_id, started_by, started_by_name, started_at)
                        VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(
                        asOf,
                        settings.dormantDays(),
                        previous.map(Review::id).orElse(null),
                        who.accountId(),
                        who.displayName(),
                        Timestamp.from(now))
                .query(Long.class)
                .single();
        Instant dormantCutoff = now.minus(Duration.ofDays(settings.dormantDays()));
        Instant lastReview = previous.map(Review::startedAt).orElse(null);
        int position = 0;
        for (AccountFacts.AccountSnapshot a : accounts.allAccounts()) {
            List<Finding> findings = findings(a, now, dormantCutoff, lastReview);
            jdbc.sql(
                            """
                            INSERT INTO account_review_row (review_id, position, account_id, login_id, display_name,
                                job_type, department, roles, administrator, kind, status, status_changed_at,
                                expires_at, last_login_at, second_factors, findings)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(
                            id,
                            position++,
                            a.id(),
                            a.loginId(),
                            a.displayName(),
                            a.jobType().name(),
                            a.department(),
                            String.join("、", a.roles()),
                            a.administrator(),
                            a.kind().name(),
                            a.status(),
                            timestamp(a.statusChangedAt()),
                            timestamp(a.expiresAt()),
                            timestamp(a.lastLoginAt()),
                            String.join(",", a.secondFactors()),
                            String.join(",", findings.stream().map(Enum::name).toList()))
                    .update();
        }
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "account_review_started")
                .detail("review", id)
                .detail("as_of", asOf.toString())
                .detail("accounts", position)
                .build());
        return id;
    }

    static List<Finding> findings(
            AccountFacts.AccountSnapshot a, Instant now, Instant dormantCutoff, @Nullable Instant lastReview) {
        List<Finding> out = new ArrayList<>();
        if (a.administrator()) {
            out.add(Finding.ADMINISTRATOR);
        }
        if (a.enabled() && a.expiresAt() != null && a.expiresAt().isBefore(now)) {
            out.add(Finding.EXPIRED_ENABLED);
        }
        if (a.enabled() && a.kind() == AccountKind.VENDOR && a.expiresAt() == null) {
            out.add(Finding.VENDOR_NO_EXPIRY);
        }
        Instant lastSeen = a.lastLoginAt() != null ? a.lastLoginAt() : a.createdAt();
        if (a.enabled() && a.kind() != AccountKind.SYSTEM && lastSeen.isBefore(dormantCutoff)) {
            out.add(Finding.DORMANT);
        }
        if (!a.enabled()
                && (lastReview == null
                        || (a.statusChangedAt() != null && a.statusChangedAt().isAfter(lastReview)))) {
            out.add(Finding.DISABLED_SINCE_LAST);
        }
        if (a.kind() == AccountKind.SYSTEM) {
            out.add(Finding.SYSTEM_ACCOUNT);
        }
        return out;
    }

    /**
     * Records the decision on one account of an open review. A note is required for 権限変更 and 無効化
     * and for any account with findings: the record must say why. With {@code disableNow} the account
     * is disabled at once through the identity module, which an administrator alone may do.
     */
    @Transactional
    void decide(
            long reviewId,
            long accountId,
            Decision decision,
            @Nullable String note,
            boolean disableNow,
            MamoriPrincipal by) {
        Review review = lockOpen(reviewId);
        Row row = rows(reviewId).stream()
                .filter(r -> r.accountId() == accountId)
                .findFirst()
                .orElseThrow(() -> new AnswerRefused(
                        "accountreview.error.noSuchRow", String.valueOf(accountId), String.valueOf(reviewId)));
        String text = note == null || note.isBlank() ? null : note.strip();
        if (text != null && text.length() > MAX_NOTE) {
            throw new AnswerRefused("accountreview.error.noteTooLong", row.loginId(), MAX_NOTE);
        }
        if (text == null && (decision != Decision.KEEP || row.flagged())) {
            throw new AnswerRefused("accountreview.error.noteRequired", row.loginId());
        }
        if (disableNow) {
            if (decision != Decision.DISABLE) {
                throw new AnswerRefused("accountreview.error.disableNeedsDecision", row.loginId());
            }
            if (!by.administrator()) {
                throw new AnswerRefused("accountreview.error.disableNeedsAdmin", row.loginId());
            }
            if (!"ACTIVE".equals(row.status())) {
                throw new AnswerRefused("accountreview.error.alreadyDisabled", row.loginId());
            }
            if (row.decision() != null && row.decision().accountDisabled()) {
                throw new AnswerRefused("accountreview.error.alreadyDisabled", row.loginId());
            }
            deactivation.disable(by, accountId, "アカウント棚卸し #" + reviewId + "(基準日 " + review.asOf() + "): " + text);
        }
        boolean disabled =
                disableNow || (row.decision() != null && row.decision().accountDisabled());
        jdbc.sql(
                        """
                        INSERT INTO account_review_decision (review_id, account_id, decision, note, account_disabled,
                            decided_by, decided_by_name, decided_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        reviewId,
                        accountId,
                        decision.name(),
                        text,
                        disabled,
                        by.accountId(),
                        by.displayName(),
                        Timestamp.from(clock.instant()))
                .update();
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(by.accountId(), by.loginId())
                .detail("action", "account_review_decision")
                .detail("review", reviewId)
                .detail("account", row.loginId())
                .detail("decision", decision.name())
                .detail("disabled_now", disableNow)
                .build());
    }

    /** Records 継続 for every account without findings that has no decision yet; returns how many. */
    @Transactional
    int keepUnflagged(long reviewId, Answers.Person who) {
        lockOpen(reviewId);
        int n = 0;
        for (Row r : rows(reviewId)) {
            if (r.flagged() || r.decision() != null) {
                continue;
            }
            jdbc.sql(
                            """
                            INSERT INTO account_review_decision (review_id, account_id, decision, decided_by,
                                decided_by_name, decided_at) VALUES (?, ?, 'KEEP', ?, ?, ?)""")
                    .params(
                            reviewId,
                            r.accountId(),
                            who.accountId(),
                            who.displayName(),
                            Timestamp.from(clock.instant()))
                    .update();
            n++;
        }
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "account_review_keep_unflagged")
                .detail("review", reviewId)
                .detail("accounts", n)
                .build());
        return n;
    }

    /** Signs the review off; refused while any account has no decision. Final. */
    @Transactional
    void signOff(long reviewId, @Nullable String summary, Answers.Person who) {
        lockOpen(reviewId);
        List<Row> rows = rows(reviewId);
        List<String> undecided = rows.stream()
                .filter(r -> r.decision() == null)
                .map(Row::loginId)
                .toList();
        if (!undecided.isEmpty()) {
            throw new AnswerRefused(
                    "accountreview.error.undecided",
                    undecided.size(),
                    String.join(", ", undecided.subList(0, Math.min(10, undecided.size()))));
        }
        String text = summary == null || summary.isBlank() ? null : summary.strip();
        if (text != null && text.length() > MAX_NOTE) {
            throw new AnswerRefused("accountreview.error.summaryTooLong", MAX_NOTE);
        }
        jdbc.sql(
                        """
                        INSERT INTO account_review_sign_off (review_id, signed_by, signed_by_name, signed_at, summary)
                        VALUES (?, ?, ?, ?, ?)""")
                .params(reviewId, who.accountId(), who.displayName(), Timestamp.from(clock.instant()), text)
                .update();
        Tally t = Tally.of(rows);
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "account_review_signed_off")
                .detail("review", reviewId)
                .detail("accounts", t.accounts())
                .detail("keep", t.keep())
                .detail("change_rights", t.changeRights())
                .detail("disable", t.disable())
                .build());
    }

    /** The review, locked against concurrent decisions and sign-off; refused if missing or signed off. */
    private Review lockOpen(long reviewId) {
        jdbc.sql("SELECT id FROM account_review WHERE id = ? FOR UPDATE")
                .param(reviewId)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new AnswerRefused("accountreview.error.noSuchReview", String.valueOf(reviewId)));
        Review review = review(reviewId).orElseThrow();
        if (review.signedOff()) {
            throw new AnswerRefused(
                    "accountreview.error.signedOff",
                    String.valueOf(reviewId),
                    review.signOff().signedByName(),
                    review.signOff().signedAt().atZone(Answers.JAPAN).toLocalDate());
        }
        return review;
    }

    private static final String REVIEW =
            """
            SELECT r.*, s.signed_by, s.signed_by_name, s.signed_at, s.summary
            FROM account_review r LEFT JOIN account_review_sign_off s ON s.review_id = r.id
            """;

    Optional<Review> review(long id) {
        return jdbc.sql(REVIEW + " WHERE r.id = ?")
                .param(id)
                .query(AccountReviews::review)
                .optional();
    }

    /** Every review, newest first. */
    List<Review> all() {
        return jdbc.sql(REVIEW + " ORDER BY r.id DESC")
                .query(AccountReviews::review)
                .list();
    }

    Optional<Review> open() {
        return jdbc.sql(REVIEW + " WHERE s.review_id IS NULL ORDER BY r.id DESC LIMIT 1")
                .query(AccountReviews::review)
                .optional();
    }

    /** The signed-off review with the latest 基準日 (the latest signed, among reviews of the same day). */
    Optional<Review> latestSignedOff() {
        return jdbc.sql(REVIEW + " WHERE s.review_id IS NOT NULL ORDER BY r.as_of DESC, s.signed_at DESC LIMIT 1")
                .query(AccountReviews::review)
                .optional();
    }

    /** The accounts of a review in the order they were snapshotted, each with the decision in force. */
    List<Row> rows(long reviewId) {
        return jdbc.sql(
                        """
                        SELECT w.*, d.decision, d.note, d.account_disabled, d.decided_by_name, d.decided_at
                        FROM account_review_row w
                        LEFT JOIN LATERAL (SELECT * FROM account_review_decision x
                                           WHERE x.review_id = w.review_id AND x.account_id = w.account_id
                                           ORDER BY x.id DESC LIMIT 1) d ON TRUE
                        WHERE w.review_id = ? ORDER BY w.position""")
                .param(reviewId)
                .query(AccountReviews::row)
                .list();
    }

    Schedule schedule() {
        Review last = latestSignedOff().orElse(null);
        Review open = open().orElse(null);
        if (last == null) {
            return new Schedule(null, null, Due.NEVER, open);
        }
        LocalDate due = last.asOf().plusMonths(schedule.accountReviewMonths());
        LocalDate today = today();
        Due state = today.isAfter(due) ? Due.OVERDUE : today.isBefore(due.minusDays(DUE_SOON_DAYS)) ? Due.OK : Due.SOON;
        return new Schedule(last, due, state, open);
    }

    int months() {
        return schedule.accountReviewMonths();
    }

    private static Review review(ResultSet rs, int n) throws SQLException {
        Timestamp signed = rs.getTimestamp("signed_at");
        return new Review(
                rs.getLong("id"),
                rs.getObject("as_of", LocalDate.class),
                rs.getInt("dormant_days"),
                (Long) rs.getObject("previous_id"),
                rs.getString("started_by_name"),
                rs.getTimestamp("started_at").toInstant(),
                signed == null
                        ? null
                        : new SignOff(
                                rs.getLong("signed_by"),
                                rs.getString("signed_by_name"),
                                signed.toInstant(),
                                rs.getString("summary")));
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        String decision = rs.getString("decision");
        String factors = rs.getString("second_factors");
        String findings = rs.getString("findings");
        return new Row(
                rs.getLong("account_id"),
                rs.getString("login_id"),
                rs.getString("display_name"),
                rs.getString("job_type"),
                rs.getString("department"),
                rs.getString("roles"),
                rs.getBoolean("administrator"),
                AccountKind.valueOf(rs.getString("kind")),
                rs.getString("status"),
                instant(rs, "status_changed_at"),
                instant(rs, "expires_at"),
                instant(rs, "last_login_at"),
                factors.isEmpty() ? List.of() : List.of(factors.split(",")),
                findings.isEmpty()
                        ? List.of()
                        : Arrays.stream(findings.split(","))
                                .map(Finding::valueOf)
                                .toList(),
                decision == null
                        ? null
                        : new RowDecision(
                                Decision.valueOf(decision),
                                rs.getString("note"),
                                rs.getBoolean("account_disabled"),
                                rs.getString("decided_by_name"),
                                rs.getTimestamp("decided_at").toInstant()));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
