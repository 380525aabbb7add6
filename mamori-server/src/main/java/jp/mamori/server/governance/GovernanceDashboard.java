package jp.mamori.server.governance;

import java.util.List;
import jp.mamori.server.platform.Dashboard;
import org.springframework.stereotype.Component;

/** The start page's cards: where the institution's own sheet of the current fiscal year stands. */
@Component
class GovernanceDashboard implements Dashboard {

    private final ChecklistCatalog catalog;
    private final ChecklistView view;
    private final GovernanceSettings settings;

    GovernanceDashboard(ChecklistCatalog catalog, ChecklistView view, GovernanceSettings settings) {
        this.catalog = catalog;
        this.view = view;
        this.settings = settings;
    }

    @Override
    public List<Card> cards() {
        ChecklistView.Sheet sheet = view.of(catalog.latest(settings.form()));
        long green = sheet.count(ChecklistView.Light.GREEN);
        long red = sheet.count(ChecklistView.Light.RED);
        long amber = sheet.count(ChecklistView.Light.AMBER);
        int overdue = sheet.overdue().size();
        return List.of(
                new Card(
                        "dash.governance.checklist.title",
                        green + " / " + sheet.rows().size(),
                        "dash.governance.checklist.note",
                        "/governance/checklist",
                        red > 0 ? "alert" : amber > 0 ? "warn" : "ok"),
                new Card(
                        "dash.governance.overdue.title",
                        String.valueOf(overdue),
                        "dash.governance.overdue.note",
                        "/governance",
                        overdue > 0 ? "alert" : "ok"));
    }
}
