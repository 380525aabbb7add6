package jp.mamori.server.governance;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The 事業者確認用 form: the institution sends the vendor checklist to each vendor that supplies a
 * system, once per fiscal year, and collects it back. This keeps when it was sent, when it is due,
 * when it came back, and the vendor's はい/いいえ per item as the institution copied them from the
 * returned form. Each change is a new row.
 */
@Service
class VendorForms {

    /** Where a vendor's form of a fiscal year stands. */
    enum Status {
        /** 未送付 */
        NOT_SENT,
        /** 送付済 */
        SENT,
        /** 回収済 */
        RECEIVED,
        /** 期限超過: sent, not back, past its due day */
        OVERDUE
    }

    /** The form's state for one vendor and fiscal year, as last recorded. */
    record Tracking(
            long vendorId,
            int fiscalYear,
            @Nullable LocalDate sentOn,
            @Nullable LocalDate dueOn,
            @Nullable LocalDate receivedOn,
            @Nullable String note,
            String recordedByName,
            Instant recordedAt) {

        public Status statusOn(LocalDate today) {
            if (receivedOn != null) {
                return Status.RECEIVED;
            }
            if (sentOn == null) {
                return Status.NOT_SENT;
            }
            return dueOn != null && today.isAfter(dueOn) ? Status.OVERDUE : Status.SENT;
        }
    }

    /** One of the vendor's answers as recorded at the institution. */
    record VendorAnswer(
            String itemNo,
            Checklist.Target target,
            Answers.Reply reply,
            int sheetYear,
            String recordedByName,
            Instant recordedAt) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecurityEvents events;
    private final VendorRegister register;
    private final ChecklistCatalog catalog;
    private final VendorSettings settings;

    VendorForms(
            JdbcClient jdbc,
            Clock clock,
            SecurityEvents events,
            VendorRegister register,
            ChecklistCatalog catalog,
            VendorSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.register = register;
        this.catalog = catalog;
        this.settings = settings;
    }

    /** The fiscal year (年度) a day falls in: April to March, named by the year it starts in. */
    static int fiscalYearOf(LocalDate day) {
        return day.getMonthValue() >= 4 ? day.getYear() : day.getYear() - 1;
    }

    /** 令和N年度; 2019 is 令和元年度 (令和 began on 2019-05-01, within that fiscal year). */
    static String label(int fiscalYear) {
        int reiwa = fiscalYear - 2018;
        return reiwa == 1 ? "令和元年度" : "令和" + reiwa + "年度";
    }

    int dueDays() {
        return settings.formDueDays();
    }

    int currentFiscalYear() {
        return fiscalYearOf(register.today());
    }

    /**
     * The fiscal years a form can be tracked for: from the oldest sheet Mamori knows to the next
     * year, so that a form may be sent in March for the coming year.
     */
    List<Integer> years() {
        int first = catalog.all().stream().mapToInt(Checklist::fiscalYear).min().orElse(currentFiscalYear());
        List<Integer> years = new ArrayList<>();
        for (int y = currentFiscalYear() + 1; y >= first; y--) {
            years.add(y);
        }
        return years;
    }

    /**
     * The vendor sheet to record answers on for a fiscal year: that year's, or else the newest
     * published before it (the ministry may not have published the year's sheet yet).
     */
    Optional<Checklist> sheetFor(int fiscalYear) {
        return catalog.all().stream()
                .filter(c -> c.form() == Checklist.Form.VENDOR && c.fiscalYear() <= fiscalYear)
                .max(Comparator.comparingInt(Checklist::fiscalYear));
    }

    Optional<Tracking> current(long vendorId, int fiscalYear) {
        return jdbc.sql("SELECT * FROM vendor_form WHERE vendor_id = ? AND fiscal_year = ? ORDER BY id DESC LIMIT 1")
                .params(vendorId, fiscalYear)
                .query(VendorForms::map)
                .optional();
    }

    /** Every vendor's current tracking of the fiscal year, by vendor id. */
    Map<Long, Tracking> currentOfYear(int fiscalYear) {
        return jdbc
                .sql(
                        "SELECT DISTINCT ON (vendor_id) * FROM vendor_form WHERE fiscal_year = ? ORDER BY vendor_id, id DESC")
                .param(fiscalYear)
                .query(VendorForms::map)
                .list()
                .stream()
                .collect(Collectors.toMap(Tracking::vendorId, Function.identity()));
    }

    /** Every vendor's current tracking of every year, for the reminders. */
    List<Tracking> allCurrent() {
        return jdbc.sql(
                        "SELECT DISTINCT ON (vendor_id, fiscal_year) * FROM vendor_form ORDER BY vendor_id, fiscal_year, id DESC")
                .query(VendorForms::map)
                .list();
    }

    List<Tracking> history(long vendorId, int fiscalYear) {
        return jdbc.sql("SELECT * FROM vendor_form WHERE vendor_id = ? AND fiscal_year = ? ORDER BY id DESC")
                .params(vendorId, fiscalYear)
                .query(VendorForms::map)
                .list();
    }

    /**
     * Records the form's dates. A form sent without a due day is due {@code formDueDays} later.
     * Refused, with every problem named, when a day lies in the future, the form comes back before
     * it went out, or is due before it was sent.
     */
    @Transactional
    Tracking record(
            long vendorId,
            int fiscalYear,
            @Nullable LocalDate sentOn,
            @Nullable LocalDate dueOn,
            @Nullable LocalDate receivedOn,
            @Nullable String note,
            Answers.Person who) {
        register.existing(vendorId);
        LocalDate today = register.today();
        List<VendorInput.Problem> problems = new ArrayList<>();
        if (!years().contains(fiscalYear)) {
            problems.add(new VendorInput.Problem("fiscalYear", "vendors.error.fiscalYear", String.valueOf(fiscalYear)));
        }
        if (sentOn != null && sentOn.isAfter(today)) {
            problems.add(new VendorInput.Problem("sentOn", "vendors.error.inFuture", sentOn.toString()));
        }
        if (receivedOn != null && receivedOn.isAfter(today)) {
            problems.add(new VendorInput.Problem("receivedOn", "vendors.error.inFuture", receivedOn.toString()));
        }
        if (sentOn == null && (dueOn != null || receivedOn != null)) {
            problems.add(new VendorInput.Problem("sentOn", "vendors.error.notSentYet", ""));
        }
        if (sentOn != null && dueOn != null && dueOn.isBefore(sentOn)) {
            problems.add(new VendorInput.Problem("dueOn", "vendors.error.beforeSent", dueOn + " < " + sentOn));
        }
        if (sentOn != null && receivedOn != null && receivedOn.isBefore(sentOn)) {
            problems.add(
                    new VendorInput.Problem("receivedOn", "vendors.error.beforeSent", receivedOn + " < " + sentOn));
        }
        String cleanNote = note == null || note.isBlank() ? null : note.strip();
        if (cleanNote != null && cleanNote.length() > VendorInput.MAX_TEXT) {
            problems.add(
                    new VendorInput.Problem("note", "vendors.error.tooLong", String.valueOf(VendorInput.MAX_TEXT)));
        }
        if (!problems.isEmpty()) {
            throw new VendorInput.Refused(problems);
        }
        LocalDate due = dueOn == null && sentOn != null ? sentOn.plusDays(settings.formDueDays()) : dueOn;
        Instant now = clock.instant();
        jdbc.sql(
                        """
                        INSERT INTO vendor_form (vendor_id, fiscal_year, sent_on, due_on, received_on, note, recorded_by,
                            recorded_by_name, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        vendorId,
                        fiscalYear,
                        sentOn == null ? null : Date.valueOf(sentOn),
                        due == null ? null : Date.valueOf(due),
                        receivedOn == null ? null : Date.valueOf(receivedOn),
                        cleanNote,
                        who.accountId(),
                        who.displayName(),
                        Timestamp.from(now))
                .update();
        Tracking t = new Tracking(vendorId, fiscalYear, sentOn, due, receivedOn, cleanNote, who.displayName(), now);
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                .account(who.accountId(), who.loginId())
                .detail("action", "vendor_form_tracked")
                .detail("vendor", vendorId)
                .detail("fiscalYear", fiscalYear)
                .detail("status", t.statusOn(today).name())
                .build());
        return t;
    }

    /** The vendor's current answer per cell ({@link Answers#cellKey}) for the fiscal year. */
    Map<String, VendorAnswer> answers(long vendorId, int fiscalYear) {
        return jdbc
                .sql(
                        """
                        SELECT DISTINCT ON (item_no, target) * FROM vendor_form_answer
                        WHERE vendor_id = ? AND fiscal_year = ? ORDER BY item_no, target, id DESC""")
                .params(vendorId, fiscalYear)
                .query((rs, n) -> new VendorAnswer(
                        rs.getString("item_no"),
                        Checklist.Target.valueOf(rs.getString("target")),
                        Answers.Reply.valueOf(rs.getString("answer")),
                        rs.getInt("sheet_year"),
                        rs.getString("recorded_by_name"),
                        rs.getTimestamp("recorded_at").toInstant()))
                .list()
                .stream()
                .collect(Collectors.toMap(a -> Answers.cellKey(a.itemNo(), a.target()), Function.identity()));
    }

    /**
     * Records the vendor's replies as read from its returned form: a map from cell key to YES or NO
     * (a blank leaves the cell as it was). Only cells whose reply changed get a new row. A cell that
     * is not on the sheet, or a reply that is neither, refuses the whole form.
     *
     * @return how many cells changed
     */
    @Transactional
    int recordAnswers(long vendorId, int fiscalYear, Map<String, String> replies, Answers.Person who) {
        register.existing(vendorId);
        Checklist sheet = sheetFor(fiscalYear)
                .orElseThrow(() -> new VendorInput.Refused(List.of(
                        new VendorInput.Problem("fiscalYear", "vendors.error.noVendorSheet", label(fiscalYear)))));
        Map<String, Checklist.Item> cells = new HashMap<>();
        for (Checklist.Item item : sheet.items()) {
            for (Checklist.Target t : item.targets()) {
                cells.put(Answers.cellKey(item.number(), t), item);
            }
        }
        List<VendorInput.Problem> problems = new ArrayList<>();
        Map<String, Answers.Reply> parsed = new HashMap<>();
        for (var e : replies.entrySet()) {
            if (e.getValue() == null || e.getValue().isBlank()) {
                continue;
            }
            if (!cells.containsKey(e.getKey())) {
                problems.add(new VendorInput.Problem("item", "vendors.error.noSuchItem", e.getKey()));
                continue;
            }
            try {
                parsed.put(e.getKey(), Answers.Reply.valueOf(e.getValue().strip()));
            } catch (IllegalArgumentException ex) {
                problems.add(new VendorInput.Problem("item", "vendors.error.reply", e.getKey() + " = " + e.getValue()));
            }
        }
        if (!problems.isEmpty()) {
            throw new VendorInput.Refused(problems);
        }
        Map<String, VendorAnswer> before = answers(vendorId, fiscalYear);
        Instant now = clock.instant();
        int changed = 0;
        for (var e : parsed.entrySet()) {
            VendorAnswer was = before.get(e.getKey());
            if (was != null && was.reply() == e.getValue()) {
                continue;
            }
            String[] cell = e.getKey().split("/", 2);
            jdbc.sql(
                            """
                            INSERT INTO vendor_form_answer (vendor_id, fiscal_year, sheet_year, item_no, target, answer,
                                recorded_by, recorded_by_name, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(
                            vendorId,
                            fiscalYear,
                            sheet.fiscalYear(),
                            cell[0],
                            cell[1],
                            e.getValue().name(),
                            who.accountId(),
                            who.displayName(),
                            Timestamp.from(now))
                    .update();
            changed++;
        }
        if (changed > 0) {
            events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_CHANGED)
                    .account(who.accountId(), who.loginId())
                    .detail("action", "vendor_form_answers")
                    .detail("vendor", vendorId)
                    .detail("fiscalYear", fiscalYear)
                    .detail("changed", changed)
                    .build());
        }
        return changed;
    }

    private static Tracking map(ResultSet rs, int n) throws SQLException {
        return new Tracking(
                rs.getLong("vendor_id"),
                rs.getInt("fiscal_year"),
                day(rs.getDate("sent_on")),
                day(rs.getDate("due_on")),
                day(rs.getDate("received_on")),
                rs.getString("note"),
                rs.getString("recorded_by_name"),
                rs.getTimestamp("recorded_at").toInstant());
    }

    private static @Nullable LocalDate day(@Nullable Date d) {
        return d == null ? null : d.toLocalDate();
    }
}
