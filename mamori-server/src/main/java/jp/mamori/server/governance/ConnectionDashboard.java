package jp.mamori.server.governance;

import java.util.List;
import jp.mamori.server.platform.Dashboard;
import org.springframework.stereotype.Component;

/** The start page's card: VPN and remote-maintenance lines that accept any source (2-⑬). */
@Component
class ConnectionDashboard implements Dashboard {

    private final ConnectionRegister register;

    ConnectionDashboard(ConnectionRegister register) {
        this.register = register;
    }

    @Override
    public List<Card> cards() {
        long open = unrestrictedRemoteLines(register);
        return List.of(new Card(
                "dash.connections.title",
                String.valueOf(open),
                "dash.connections.note",
                "/governance/connections",
                open > 0 ? "alert" : "ok"));
    }

    static long unrestrictedRemoteLines(ConnectionRegister register) {
        return register.connections().stream()
                .filter(c -> c.kind().remoteAccess())
                .filter(c -> c.findings().contains(NetworkConnections.Finding.NO_SOURCE_RESTRICTION))
                .count();
    }
}
