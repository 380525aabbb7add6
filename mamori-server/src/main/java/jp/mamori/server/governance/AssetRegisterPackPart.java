package jp.mamori.server.governance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The asset register (機器台帳, 2-①) as Excel and as CSV, with its last review (点検). */
@Component
@Order(20)
class AssetRegisterPackPart implements InspectionPackPart {

    private final AssetRegister register;

    AssetRegisterPackPart(AssetRegister register) {
        this.register = register;
    }

    @Override
    public String title() {
        return "機器台帳";
    }

    @Override
    public String whenMissing() {
        return "機器が登録されていません";
    }

    @Override
    public List<PackFile> render(Request request) {
        var assets = register.all();
        if (assets.isEmpty()) {
            return List.of();
        }
        String about = assets.size() + " 台、最終点検 "
                + register.latestReview()
                        .map(r -> r.reviewedOn() + "(" + r.reviewedByName() + ")")
                        .orElse("なし");
        return List.of(
                new PackFile("機器台帳.xlsx", ExcelSheets.assets(assets), about, null),
                new PackFile("機器台帳.csv", register.exportCsv(StandardCharsets.UTF_8), about + "、UTF-8", null));
    }
}
