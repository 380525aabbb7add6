package jp.mamori.server.governance;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Puts the connections register's counts on the governance overview, beside the asset register's. */
@ControllerAdvice(assignableTypes = GovernanceController.class)
class ConnectionOverviewAdvice {

    private final ConnectionRegister register;

    ConnectionOverviewAdvice(ConnectionRegister register) {
        this.register = register;
    }

    @ModelAttribute
    void connections(Model model) {
        var all = register.connections();
        model.addAttribute("connectionCount", all.size());
        model.addAttribute(
                "connectionFindings",
                all.stream().mapToLong(c -> c.findings().size()).sum());
        model.addAttribute("unrestrictedRemoteLines", ConnectionDashboard.unrestrictedRemoteLines(register));
    }
}
