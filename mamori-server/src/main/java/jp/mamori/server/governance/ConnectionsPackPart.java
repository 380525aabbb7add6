package jp.mamori.server.governance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The external connections (remote-maintenance lines, VPNs, gateways; 2-⑬) as the register's CSV,
 * and the network diagram (ネットワーク構成図) drawn from it, with the register's last review (点検).
 */
@Component
@Order(70)
class ConnectionsPackPart implements InspectionPackPart {

    private final ConnectionRegister register;
    private final NetworkDiagram diagram;

    ConnectionsPackPart(ConnectionRegister register, NetworkDiagram diagram) {
        this.register = register;
        this.diagram = diagram;
    }

    @Override
    public String title() {
        return "外部接続の台帳とネットワーク構成図";
    }

    @Override
    public String whenMissing() {
        return "接続が登録されていません";
    }

    @Override
    public List<PackFile> render(Request request) {
        int connections = register.connections().size();
        if (connections == 0 && register.segments().isEmpty()) {
            return List.of();
        }
        String about = connections + " 件、最終点検 "
                + register.latestReview()
                        .map(r -> r.reviewedOn() + "(" + r.reviewedByName() + ")")
                        .orElse("なし");
        return List.of(
                new PackFile("外部接続台帳.csv", register.exportCsv(), about + "、UTF-8", null),
                new PackFile("ネットワーク構成図.svg", diagram.svg().getBytes(StandardCharsets.UTF_8), about, null));
    }
}
