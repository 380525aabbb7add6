package jp.mamori.server.governance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The institution's answers to the checklist: はい or いいえ per item and target column, with the
 * 確認日 (day checked), and for いいえ a 目標日 (target day) inside the fiscal year, as the ministry's
 * filling rule asks. Each change is a new row; nothing is overwritten.
 */
@Service
class Answers {

    /** Mamori serves one institution per installation; the column is there for a vendor's many. */
    static final String FACILITY = "default";

    static final int MAX_EVIDENCE = 2000;
    /** Dates are days in Japan, whatever the server's zone. */
    static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    enum Reply {
        YES,
        NO
    }

    /**
     * One stored answer.
     *
     * @param checkedOn 確認日
     * @param targetOn 目標日, for いいえ
     * @param fromProposal adopted from Mamori's proposal (still confirmed by the person named)
     */
    record Answer(
            long id,
            String itemNo,
            Checklist.Target target,
            Reply reply,
            LocalDate checkedOn,
            @Nullable LocalDate targetOn,
            @Nullable String evidence,
            long answeredBy,
            String answeredByName,
            boolean fromProposal,
            Instant answeredAt) {

        String cell() {
            return cellKey(itemNo, target);
        }
    }

    /** What a person submits for one cell. */
    record Submission(
            String itemNo,
            Checklist.Target target,
            @Nullable Reply reply,
            @Nullable LocalDate checkedOn,
            @Nullable LocalDate targetOn,
            @Nullable String evidence,
            boolean fromProposal) {}

    /** Who answers: a signed-in person, never Mamori itself. */
    record Person(long accountId, String loginId, String displayName) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecurityEvents events;

    Answers(JdbcClient jdbc, Clock clock, SecurityEvents events) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
    }

    static String cellKey(String itemNo, Checklist.Target target) {
        return itemNo + "/" + target.name();
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(JAPAN));
    }

    /** Checks the submission against the sheet's rules and stores it; throws {@link AnswerRefused} otherwise. */
    @Transactional
    Answer record(Checklist sheet, Submission s, Person who) {
        Checklist.Item item = sheet.item(s.itemNo())
                .orElseThrow(() -> new AnswerRefused("governance.error.noSuchItem", s.itemNo(), sheet.title()));
        if (!item.targets().contains(s.target())) {
            throw new AnswerRefused(
                    "governance.error.noSuchTarget", item.number(), s.target().name());
        }
        Reply reply = s.reply();
        if (reply == null) {
            throw new AnswerRefused("governance.error.replyRequired", item.number());
        }
        LocalDate checked = s.checkedOn();
        if (checked == null) {
            throw new AnswerRefused("governance.error.checkedRequired", item.number());
        }
        if (checked.isAfter(today())) {
            throw new AnswerRefused("governance.error.checkedInFuture", item.number(), checked, today());
        }
        LocalDate target = reply == Reply.YES ? null : s.targetOn();
        if (reply == Reply.NO && !Checklist.GATE.equals(item.number())) {
            if (target == null) {
                throw new AnswerRefused("governance.error.targetRequired", item.number(), sheet.label());
            }
            if (!sheet.within(target)) {
                throw new AnswerRefused(
                        "governance.error.targetOutsideYear",
                        item.number(),
                        target,
                        sheet.label(),
                        sheet.firstDay(),
                        sheet.lastDay());
            }
        }
        if (reply == Reply.NO && Checklist.GATE.equals(item.number())) {
            // いいえ to the gate means there is no system to secure: no target day belongs to it
            target = null;
        }
        String evidence = s.evidence() == null || s.evidence().isBlank()
                ? null
                : s.evidence().strip();
        if (evidence != null && evidence.length() > MAX_EVIDENCE) {
            throw new AnswerRefused("governance.error.evidenceTooLong", item.number(), MAX_EVIDENCE);
        }
        Instant now = clock.instant();
        long id = jdbc.sql(
                        """
                        INSERT INTO checklist_answer (facility, fiscal_year, form, item_no, target, answer, checked_on,
                            target_on, evidence, answered_by, answered_by_name, from_proposal, answered_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(
                        FACILITY,
                        sheet.fiscalYear(),
                        sheet.form().name(),
                        item.number(),
                        s.target().name(),
                        reply.name(),
                        checked,
                        target,
                        evidence,
                        who.accountId(),
                        who.displayName(),
                        s.fromProposal(),
                        Timestamp.from(now))
                .query(Long.class)
                .single();
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "checklist_answer")
                .detail("checklist", sheet.fiscalYear() + "/" + sheet.form())
                .detail("item", item.number() + "/" + s.target())
                .detail("answer", reply.name())
                .detail("fromProposal", s.fromProposal())
                .build());
        return new Answer(
                id,
                item.number(),
                s.target(),
                reply,
                checked,
                target,
                evidence,
                who.accountId(),
                who.displayName(),
                s.fromProposal(),
                now);
    }

    /** The current answer of every answered cell of the sheet, by {@link #cellKey}. */
    Map<String, Answer> current(Checklist sheet) {
        return jdbc
                .sql(
                        """
                        SELECT DISTINCT ON (item_no, target) * FROM checklist_answer
                        WHERE facility = ? AND fiscal_year = ? AND form = ?
                        ORDER BY item_no, target, id DESC""")
                .params(FACILITY, sheet.fiscalYear(), sheet.form().name())
                .query(Answers::map)
                .list()
                .stream()
                .collect(Collectors.toMap(Answer::cell, Function.identity()));
    }

    /** Every answer ever given to one item (all its columns), newest first. */
    List<Answer> history(Checklist sheet, String itemNo) {
        return jdbc.sql(
                        """
                        SELECT * FROM checklist_answer
                        WHERE facility = ? AND fiscal_year = ? AND form = ? AND item_no = ?
                        ORDER BY id DESC""")
                .params(FACILITY, sheet.fiscalYear(), sheet.form().name(), itemNo)
                .query(Answers::map)
                .list();
    }

    private static Answer map(ResultSet rs, int row) throws SQLException {
        java.sql.Date target = rs.getDate("target_on");
        return new Answer(
                rs.getLong("id"),
                rs.getString("item_no"),
                Checklist.Target.valueOf(rs.getString("target")),
                Reply.valueOf(rs.getString("answer")),
                rs.getDate("checked_on").toLocalDate(),
                target == null ? null : target.toLocalDate(),
                rs.getString("evidence"),
                rs.getLong("answered_by"),
                rs.getString("answered_by_name"),
                rs.getBoolean("from_proposal"),
                rs.getTimestamp("answered_at").toInstant());
    }
}
