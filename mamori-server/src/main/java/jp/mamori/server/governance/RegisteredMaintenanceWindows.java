package jp.mamori.server.governance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jp.mamori.server.audit.ApprovedMaintenance;
import org.springframework.stereotype.Component;

/**
 * The approved windows of the connections register, for the access-log review: each window of a
 * connection, for the vendor accounts named on that connection.
 */
@Component
class RegisteredMaintenanceWindows implements ApprovedMaintenance {

    private final ConnectionRegister register;

    RegisteredMaintenanceWindows(ConnectionRegister register) {
        this.register = register;
    }

    @Override
    public List<ApprovedWindow> windows(Instant from, Instant to) {
        List<ApprovedWindow> out = new ArrayList<>();
        for (NetworkConnections.Connection c : register.withWindows()) {
            if (c.vendorAccounts().isEmpty()) {
                continue;
            }
            Set<String> logins = Set.copyOf(c.vendorAccounts());
            for (MaintenanceWindow w : c.windows()) {
                for (Instant[] o : w.occurrences(from, to)) {
                    out.add(new ApprovedWindow(c.name(), logins, o[0], o[1], w.reference()));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(ApprovedWindow::start).thenComparing(ApprovedWindow::line));
        return out;
    }
}
