package jp.mamori.server.governance;

import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The institution's checklist of the fiscal year, as PDF and as Excel in the ministry's layout. */
@Component
@Order(10)
class ChecklistPackPart implements InspectionPackPart {

    private final ChecklistView view;
    private final String facility;

    ChecklistPackPart(ChecklistView view, jp.mamori.server.platform.MamoriProperties properties) {
        this.view = view;
        this.facility = properties.facilityName();
    }

    @Override
    public String title() {
        return "サイバーセキュリティ対策チェックリスト";
    }

    @Override
    public List<PackFile> render(Request request) {
        Checklist c = request.sheet();
        ChecklistView.Sheet sheet = view.of(c);
        String name = "チェックリスト_" + c.label() + "_" + c.title();
        String about = c.label() + " " + c.title() + "(回答済み " + answered(sheet) + " / "
                + sheet.rows().size() + " 項目)";
        return List.of(
                new PackFile(name + ".pdf", ChecklistPdf.render(sheet, facility), about, null),
                new PackFile(name + ".xlsx", ExcelSheets.checklist(sheet, facility), about, null));
    }

    private static long answered(ChecklistView.Sheet sheet) {
        return sheet.rows().stream()
                .filter(r -> r.cells().stream().allMatch(x -> x.answer() != null))
                .count();
    }
}
