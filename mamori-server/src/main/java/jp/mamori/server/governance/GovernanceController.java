package jp.mamori.server.governance;

import jp.mamori.server.identity.AccountFacts;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The governance overview: every item's light, what is past its 目標日, second-factor coverage. */
@Controller
@PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER', 'AUDITOR')")
class GovernanceController {

    /** 令和9年度: the fiscal year by which the guideline expects two-factor authentication. */
    static final int SECOND_FACTOR_FISCAL_YEAR = 2027;

    private final ChecklistCatalog catalog;
    private final ChecklistView view;
    private final GovernanceSettings settings;
    private final AccountFacts accounts;
    private final AssetRegister register;

    GovernanceController(
            ChecklistCatalog catalog,
            ChecklistView view,
            GovernanceSettings settings,
            AccountFacts accounts,
            AssetRegister register) {
        this.register = register;
        this.catalog = catalog;
        this.view = view;
        this.settings = settings;
        this.accounts = accounts;
    }

    @GetMapping("/governance")
    String overview(Model model) {
        ChecklistView.Sheet sheet = view.of(catalog.latest(settings.form()));
        model.addAttribute("sheet", sheet);
        model.addAttribute("green", sheet.count(ChecklistView.Light.GREEN));
        model.addAttribute("amber", sheet.count(ChecklistView.Light.AMBER));
        model.addAttribute("red", sheet.count(ChecklistView.Light.RED));
        var coverage = accounts.secondFactorCoverage();
        model.addAttribute("coverage", coverage);
        // the bar is 200 units wide; the width is computed here so the page needs no inline style
        model.addAttribute("coverageWidth", coverage.percent() * 2);
        model.addAttribute("secondFactorYear", String.valueOf(SECOND_FACTOR_FISCAL_YEAR));
        var review = register.latestReview();
        model.addAttribute(
                "reviewAgeDays",
                review.map(r -> java.time.temporal.ChronoUnit.DAYS.between(r.reviewedOn(), sheet.today()))
                        .orElse(null));
        model.addAttribute(
                "reviewStale",
                review.isEmpty()
                        || review.get().reviewedOn().isBefore(sheet.today().minusMonths(12)));
        return "governance/overview";
    }
}
