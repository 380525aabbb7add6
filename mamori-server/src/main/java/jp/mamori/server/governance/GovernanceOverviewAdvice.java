package jp.mamori.server.governance;

import java.util.Comparator;
import java.util.List;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the governance overview shows beside the checklist: the account review's schedule and the
 * fiscal years the inspection pack can be made for. Kept out of the overview's controller, which
 * other registers extend as well.
 */
@ControllerAdvice(assignableTypes = GovernanceController.class)
class GovernanceOverviewAdvice {

    private final AccountReviews reviews;
    private final ChecklistCatalog catalog;
    private final GovernanceSettings settings;

    GovernanceOverviewAdvice(AccountReviews reviews, ChecklistCatalog catalog, GovernanceSettings settings) {
        this.reviews = reviews;
        this.catalog = catalog;
        this.settings = settings;
    }

    @ModelAttribute
    void overview(Model model) {
        model.addAttribute("accountReview", reviews.schedule());
        List<Checklist> sheets = catalog.all().stream()
                .filter(c -> c.form() == settings.form())
                .sorted(Comparator.comparingInt(Checklist::fiscalYear).reversed())
                .toList();
        model.addAttribute("packSheets", sheets);
    }
}
