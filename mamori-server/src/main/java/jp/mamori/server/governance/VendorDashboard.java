package jp.mamori.server.governance;

import java.util.List;
import jp.mamori.server.platform.Dashboard;
import org.springframework.stereotype.Component;

/** The start page's card: how many things are outstanding with the vendors. */
@Component
class VendorDashboard implements Dashboard {

    private final VendorReminders reminders;

    VendorDashboard(VendorReminders reminders) {
        this.reminders = reminders;
    }

    @Override
    public List<Card> cards() {
        List<VendorReminders.Reminder> outstanding = reminders.outstanding();
        boolean urgent = outstanding.stream()
                .anyMatch(r -> r.kind() == VendorReminders.Kind.FORM_OVERDUE
                        || r.kind() == VendorReminders.Kind.NO_EMERGENCY_CONTACT);
        return List.of(new Card(
                "dash.vendorRegister.title",
                String.valueOf(outstanding.size()),
                "dash.vendorRegister.note",
                "/governance/vendors",
                outstanding.isEmpty() ? "ok" : urgent ? "alert" : "warn"));
    }
}
