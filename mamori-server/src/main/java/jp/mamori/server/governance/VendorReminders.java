package jp.mamori.server.governance;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What is outstanding with the vendors, worked out from the register as it stands: forms not back
 * past their due day, systems without an MDS/SDS or with an old one, contracts about to end,
 * vendors nobody can call in an incident. Shown on the register and the start page, and announced
 * once a day through the notifications.
 */
@Service
class VendorReminders {

    enum Kind {
        FORM_OVERDUE,
        DOCUMENT_MISSING,
        DOCUMENT_OLD,
        CONTRACT_EXPIRING,
        NO_EMERGENCY_CONTACT
    }

    /**
     * @param subject what the reminder is about: a system, a contract, a fiscal year
     * @param day the day that matters: the due day, the day received, the contract's end
     */
    record Reminder(long vendorId, String vendorName, Kind kind, String subject, @Nullable LocalDate day) {
        public String messageKey() {
            return "vendors.reminder." + kind.name();
        }
    }

    private final VendorRegister register;
    private final VendorDocuments documents;
    private final VendorForms forms;
    private final VendorSettings settings;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher publisher;
    private final MessageSource messages;

    VendorReminders(
            VendorRegister register,
            VendorDocuments documents,
            VendorForms forms,
            VendorSettings settings,
            JdbcClient jdbc,
            Clock clock,
            ApplicationEventPublisher publisher,
            MessageSource messages) {
        this.register = register;
        this.documents = documents;
        this.forms = forms;
        this.settings = settings;
        this.jdbc = jdbc;
        this.clock = clock;
        this.publisher = publisher;
        this.messages = messages;
    }

    List<Reminder> outstanding() {
        LocalDate today = register.today();
        List<VendorRegister.Vendor> vendors = register.all();
        Map<Long, List<VendorDocuments.Document>> docs = documents.all().stream()
                .filter(d -> d.kind() != VendorDocuments.Kind.FORM)
                .collect(Collectors.groupingBy(VendorDocuments.Document::vendorId));
        Map<Long, List<VendorForms.Tracking>> tracked =
                forms.allCurrent().stream().collect(Collectors.groupingBy(VendorForms.Tracking::vendorId));
        LocalDate oldBefore = today.minusMonths(settings.documentMaxAgeMonths());
        LocalDate endingBy = today.plusDays(settings.contractWarningDays());
        List<Reminder> out = new ArrayList<>();
        for (VendorRegister.Vendor v : vendors) {
            for (VendorForms.Tracking t : tracked.getOrDefault(v.id(), List.of())) {
                if (t.statusOn(today) == VendorForms.Status.OVERDUE) {
                    out.add(new Reminder(
                            v.id(), v.name(), Kind.FORM_OVERDUE, VendorForms.label(t.fiscalYear()), t.dueOn()));
                }
            }
            List<VendorDocuments.Document> own = docs.getOrDefault(v.id(), List.of());
            // a vendor that names no system still owes one disclosure for what it supplies
            List<@Nullable String> systems = v.systems().isEmpty() ? nobody() : List.copyOf(v.systems());
            for (String system : systems) {
                Optional<VendorDocuments.Document> newest = own.stream()
                        .filter(d -> d.system() == null || d.system().equals(system))
                        .max(Comparator.comparing(VendorDocuments.Document::receivedOn));
                String subject = system == null ? "" : system;
                if (newest.isEmpty()) {
                    out.add(new Reminder(v.id(), v.name(), Kind.DOCUMENT_MISSING, subject, null));
                } else if (newest.get().receivedOn().isBefore(oldBefore)) {
                    out.add(new Reminder(
                            v.id(),
                            v.name(),
                            Kind.DOCUMENT_OLD,
                            subject,
                            newest.get().receivedOn()));
                }
            }
            for (VendorRegister.Contract c : v.contracts()) {
                if (c.inForceOn(today) && c.validTo() != null && !c.validTo().isAfter(endingBy)) {
                    out.add(new Reminder(v.id(), v.name(), Kind.CONTRACT_EXPIRING, c.title(), c.validTo()));
                }
            }
            if (v.emergencyContacts().isEmpty()) {
                out.add(new Reminder(v.id(), v.name(), Kind.NO_EMERGENCY_CONTACT, "", null));
            }
        }
        return out;
    }

    List<Reminder> of(long vendorId) {
        return outstanding().stream().filter(r -> r.vendorId() == vendorId).toList();
    }

    String describe(Reminder r, Locale locale) {
        return messages.getMessage(
                r.messageKey(),
                new Object[] {
                    r.vendorName(),
                    r.subject().isEmpty() ? messages.getMessage("vendors.wholeVendor", null, locale) : r.subject(),
                    r.day() == null ? "" : r.day().toString(),
                    String.valueOf(settings.documentMaxAgeMonths())
                },
                locale);
    }

    /** Checks every hour; announces once per day, and only when something is outstanding. */
    @Scheduled(
            initialDelayString = "${mamori.governance.vendors.reminder-first-check:PT10M}",
            fixedDelayString = "${mamori.governance.vendors.reminder-check:PT1H}")
    void announceScheduled() {
        announceIfDue();
    }

    /**
     * Publishes today's reminders unless they were already announced today (by this server or
     * another one on the same database).
     *
     * @return whether they were announced now
     */
    @Transactional
    boolean announceIfDue() {
        List<Reminder> outstanding = outstanding();
        if (outstanding.isEmpty()) {
            return false;
        }
        LocalDate today = register.today();
        int inserted = jdbc.sql(
                        "INSERT INTO vendor_reminder_notice (day, reminders, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(Date.valueOf(today), outstanding.size(), Timestamp.from(clock.instant()))
                .update();
        if (inserted == 0) {
            return false;
        }
        publisher.publishEvent(new VendorRemindersDue(
                today,
                outstanding.stream().map(r -> describe(r, Locale.JAPANESE)).toList()));
        return true;
    }

    private static List<@Nullable String> nobody() {
        List<@Nullable String> one = new ArrayList<>();
        one.add(null);
        return one;
    }
}
