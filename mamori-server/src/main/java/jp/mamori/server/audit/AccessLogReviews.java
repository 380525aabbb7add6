package jp.mamori.server.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.mamori.auditlog.checkpoint.Checkpoint;
import jp.mamori.auditlog.checkpoint.NoteFormatException;
import jp.mamori.auditlog.checkpoint.SignedNote;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The periodic review of the access log (アクセスログの定期的な確認): review periods, their state, and
 * the sign-off, which is final and carries the signed checkpoint current at that moment.
 */
@Service
class AccessLogReviews {

    private final JdbcClient jdbc;
    private final FacilityLog log;
    private final ReviewWorksheet worksheet;
    private final ReviewSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;

    AccessLogReviews(
            JdbcClient jdbc,
            FacilityLog log,
            ReviewWorksheet worksheet,
            ReviewSettings settings,
            TransactionTemplate tx,
            Clock clock) {
        this.jdbc = jdbc;
        this.log = log;
        this.worksheet = worksheet;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
    }

    /** 未実施 (open or due) / 実施済み (signed off); overdue is past the grace after the period. */
    enum State {
        CURRENT,
        DUE,
        OVERDUE,
        SIGNED
    }

    /**
     * A review period, from {@code start} to {@code end} (exclusive), in Japan time.
     *
     * @param due the day by which its review should be signed off
     * @param review its latest sign-off (a correction supersedes what it corrects)
     */
    record ReviewPeriod(LocalDate start, LocalDate end, LocalDate due, State state, @Nullable SignedReview review) {

        public LocalDate lastDay() {
            return end.minusDays(1);
        }
    }

    /** A check's line of a signed-off review, as it was at sign-off. */
    record CheckNote(String key, long count, String note, @Nullable Long outsideWindows) {

        /** Vendor accesses inside an approved window at sign-off; null when the windows were not known. */
        public @Nullable Long insideWindows() {
            return outsideWindows == null ? null : count - outsideWindows;
        }
    }

    /** A signed-off review; never changed once stored. */
    record SignedReview(
            long id,
            LocalDate start,
            LocalDate end,
            String reviewer,
            Instant signedAt,
            String summary,
            long checkpointSize,
            byte[] checkpointRoot,
            String checkpointNote,
            long signOffIndex,
            @Nullable Long corrects,
            List<CheckNote> checks) {

        public String rootBase64() {
            return Base64.getEncoder().encodeToString(checkpointRoot);
        }

        public String rootHex() {
            return java.util.HexFormat.of().formatHex(checkpointRoot);
        }

        public java.time.ZonedDateTime signedAtJst() {
            return signedAt.atZone(ReviewWorksheet.JST);
        }

        public LocalDate lastDay() {
            return end.minusDays(1);
        }
    }

    /** A sign-off that cannot be stored, with a message key and its argument. */
    static final class Refused extends RuntimeException {
        final String key;
        final Object argument;

        Refused(String key, Object argument) {
            super(key + ": " + argument);
            this.key = key;
            this.argument = argument;
        }
    }

    LocalDate today() {
        return clock.instant().atZone(ReviewWorksheet.JST).toLocalDate();
    }

    /** Every period from the first to the current one, newest first. */
    List<ReviewPeriod> periods() {
        LocalDate today = today();
        LocalDate first = firstPeriodStart();
        List<ReviewPeriod> out = new ArrayList<>();
        for (int k = 0; ; k++) {
            LocalDate start = first.plus(settings.period().multipliedBy(k));
            if (start.isAfter(today)) {
                break;
            }
            out.add(0, period(start));
        }
        return out;
    }

    /** The period that begins on {@code start}, or empty if no period begins that day. */
    Optional<ReviewPeriod> periodStarting(LocalDate start) {
        LocalDate first = firstPeriodStart();
        for (int k = 0; ; k++) {
            LocalDate s = first.plus(settings.period().multipliedBy(k));
            if (s.equals(start)) {
                return s.isAfter(today()) ? Optional.empty() : Optional.of(period(s));
            }
            if (s.isAfter(start)) {
                return Optional.empty();
            }
        }
    }

    private ReviewPeriod period(LocalDate start) {
        LocalDate end = start.plus(settings.period());
        LocalDate due = end.plus(settings.grace());
        SignedReview review = latestReview(start).orElse(null);
        LocalDate today = today();
        State state;
        if (review != null) {
            state = State.SIGNED;
        } else if (today.isBefore(end)) {
            state = State.CURRENT;
        } else if (today.isBefore(due)) {
            state = State.DUE;
        } else {
            state = State.OVERDUE;
        }
        return new ReviewPeriod(start, end, due, state, review);
    }

    private LocalDate firstPeriodStart() {
        if (settings.firstPeriod() != null) {
            return settings.firstPeriod();
        }
        Instant created = jdbc.sql("SELECT created_at FROM audit_log WHERE id = ?")
                .param(log.id())
                .query(Timestamp.class)
                .single()
                .toInstant();
        LocalDate day = created.atZone(ReviewWorksheet.JST).toLocalDate();
        // Calendar months for month-based periods; otherwise periods start on the day the log began.
        return settings.period().getDays() == 0 ? day.withDayOfMonth(1) : day;
    }

    /** The latest review of the period starting that day: the last correction, or the sign-off. */
    Optional<SignedReview> latestReview(LocalDate start) {
        return jdbc.sql("SELECT * FROM audit_review WHERE log_id = ? AND period_start = ? ORDER BY id DESC LIMIT 1")
                .params(log.id(), start)
                .query((rs, n) -> rs.getLong("id"))
                .optional()
                .flatMap(this::review);
    }

    /** Every sign-off and correction of a period, oldest first. */
    List<SignedReview> history(LocalDate start) {
        return jdbc
                .sql("SELECT id FROM audit_review WHERE log_id = ? AND period_start = ? ORDER BY id")
                .params(log.id(), start)
                .query(Long.class)
                .list()
                .stream()
                .map(id -> review(id).orElseThrow())
                .toList();
    }

    Optional<SignedReview> review(long id) {
        List<CheckNote> checks = jdbc.sql(
                        "SELECT check_key, count, note, outside_windows FROM audit_review_check WHERE review_id = ?"
                                + " ORDER BY position")
                .param(id)
                .query((rs, n) ->
                        new CheckNote(rs.getString(1), rs.getLong(2), rs.getString(3), (Long) rs.getObject(4)))
                .list();
        return jdbc.sql("SELECT * FROM audit_review WHERE id = ? AND log_id = ?")
                .params(id, log.id())
                .query((rs, n) -> new SignedReview(
                        rs.getLong("id"),
                        rs.getObject("period_start", LocalDate.class),
                        rs.getObject("period_end", LocalDate.class),
                        rs.getString("reviewer"),
                        rs.getTimestamp("signed_at").toInstant(),
                        rs.getString("summary"),
                        rs.getLong("checkpoint_size"),
                        rs.getBytes("checkpoint_root"),
                        rs.getString("checkpoint_note"),
                        rs.getLong("sign_off_index"),
                        (Long) rs.getObject("corrects"),
                        checks))
                .optional();
    }

    /** The last sign-off of any period, if there is one. */
    Optional<SignedReview> lastSignOff() {
        return jdbc.sql("SELECT id FROM audit_review WHERE log_id = ? ORDER BY signed_at DESC, id DESC LIMIT 1")
                .param(log.id())
                .query(Long.class)
                .optional()
                .flatMap(this::review);
    }

    /**
     * Signs off the period's review: the checks as counted now, the reviewer's note per check, the
     * signed checkpoint current at this moment, and a security event in the log. With {@code
     * corrects} it records a correction of an earlier sign-off of the same period instead.
     */
    SignedReview signOff(
            LocalDate start, String reviewer, Map<String, String> notes, String summary, @Nullable Long corrects) {
        ReviewPeriod period = periodStarting(start).orElseThrow(() -> new Refused("review.error.noPeriod", start));
        if (period.state() == State.CURRENT) {
            throw new Refused("review.error.notEnded", period.end());
        }
        if (corrects == null && period.review() != null) {
            throw new Refused(
                    "review.error.signed", period.review().signedAtJst().toLocalDate());
        }
        if (corrects != null && (period.review() == null || period.review().id() != corrects)) {
            throw new Refused("review.error.correctsLatest", corrects);
        }
        List<ReviewWorksheet.Check> checks = worksheet.checks(period.start(), period.end());
        for (ReviewWorksheet.Check c : checks) {
            String note = notes.getOrDefault(c.key().name(), "").strip();
            if (c.count() > 0 && note.isEmpty()) {
                throw new Refused("review.error.noteRequired", c.key().name());
            }
            if (note.length() > 4000) {
                throw new Refused("review.error.noteTooLong", c.key().name());
            }
        }
        if (summary.strip().isEmpty()) {
            throw new Refused("review.error.summaryRequired", "");
        }
        SignedNote note = log.checkpoint();
        if (note == null) {
            throw new IllegalStateException("No checkpoint could be signed");
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parse(note.text());
        } catch (NoteFormatException e) {
            throw new IllegalStateException("The checkpoint just signed cannot be read: " + e.getMessage(), e);
        }
        Instant now = clock.instant();
        SecurityEvent event = SecurityEvent.success(SecurityEventType.ACCESS_LOG_REVIEWED)
                .account(null, reviewer)
                .detail("period_start", period.start())
                .detail("period_end", period.end())
                .detail("checkpoint_size", checkpoint.size())
                .detail("checkpoint_root", Base64.getEncoder().encodeToString(checkpoint.rootHash()))
                .detail("corrects", corrects)
                .build();
        long index = log.append(List.of(new FacilityLog.Entry(
                now,
                LoggedSecurityEvents.KIND,
                event.type().name(),
                event.outcome().name(),
                null,
                reviewer,
                null,
                null,
                null,
                LoggedSecurityEvents.canonical(event, now))))[0];
        Long id;
        try {
            id = insert(period, reviewer, notes, summary, corrects, checks, checkpoint, note, index, now);
        } catch (org.springframework.dao.DuplicateKeyException e) {
            // Another reviewer signed the period off in the same moment; theirs stands, and this
            // attempt's sign-off event stays in the log as what it was.
            throw new Refused("review.error.signed", today());
        }
        return review(id).orElseThrow();
    }

    private Long insert(
            ReviewPeriod period,
            String reviewer,
            Map<String, String> notes,
            String summary,
            @Nullable Long corrects,
            List<ReviewWorksheet.Check> checks,
            Checkpoint checkpoint,
            SignedNote note,
            long index,
            Instant now) {
        return tx.execute(status -> {
            long reviewId = jdbc.sql(
                            """
                            INSERT INTO audit_review (log_id, period_start, period_end, reviewer, signed_at, summary,
                                checkpoint_size, checkpoint_root, checkpoint_note, sign_off_index, corrects)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                    .params(
                            log.id(),
                            period.start(),
                            period.end(),
                            reviewer,
                            Timestamp.from(now),
                            summary.strip(),
                            checkpoint.size(),
                            checkpoint.rootHash(),
                            note.format(),
                            index,
                            corrects)
                    .query(Long.class)
                    .single();
            int position = 0;
            for (ReviewWorksheet.Check c : checks) {
                jdbc.sql(
                                """
                                INSERT INTO audit_review_check (review_id, position, check_key, count, note, outside_windows)
                                VALUES (?, ?, ?, ?, ?, ?)""")
                        .params(
                                reviewId,
                                position++,
                                c.key().name(),
                                c.count(),
                                notes.getOrDefault(c.key().name(), "").strip(),
                                c.outsideWindows())
                        .update();
            }
            return reviewId;
        });
    }
}
