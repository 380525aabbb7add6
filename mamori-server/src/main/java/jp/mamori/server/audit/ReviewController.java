package jp.mamori.server.audit;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The periodic review's screens: the periods and their state, the worksheet of one period with its
 * sign-off, and the printed report of a signed-off review.
 */
@Controller
@PreAuthorize("hasAnyRole('AUDITOR', 'SECURITY_OFFICER', 'ADMIN')")
class ReviewController {

    private final AccessLogReviews reviews;
    private final ReviewWorksheet worksheet;
    private final ReviewReport report;
    private final ReviewSettings settings;
    private final SecurityEvents events;
    private final MessageSource messages;

    ReviewController(
            AccessLogReviews reviews,
            ReviewWorksheet worksheet,
            ReviewReport report,
            ReviewSettings settings,
            SecurityEvents events,
            MessageSource messages) {
        this.reviews = reviews;
        this.worksheet = worksheet;
        this.report = report;
        this.settings = settings;
        this.events = events;
        this.messages = messages;
    }

    @GetMapping("/audit/review")
    String periods(Model model) {
        model.addAttribute("periods", reviews.periods());
        model.addAttribute("settings", settings);
        return "audit/review-periods";
    }

    @GetMapping("/audit/review/{start}")
    String worksheet(@PathVariable LocalDate start, Model model) {
        AccessLogReviews.ReviewPeriod period = reviews.periodStarting(start)
                .orElseThrow(
                        () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No review period starts " + start));
        model.addAttribute("period", period);
        model.addAttribute("checks", worksheet.checks(period.start(), period.end()));
        model.addAttribute("history", reviews.history(period.start()));
        model.addAttribute("settings", settings);
        if (!model.containsAttribute("notes")) {
            model.addAttribute("notes", Map.of());
        }
        return "audit/review";
    }

    @PostMapping("/audit/review/{start}")
    String signOff(
            @PathVariable LocalDate start,
            @RequestParam Map<String, String> form,
            @RequestParam(defaultValue = "") String summary,
            @RequestParam(required = false) @Nullable Long corrects,
            Authentication who,
            Locale locale,
            Model model,
            RedirectAttributes redirect) {
        Map<String, String> notes = new HashMap<>();
        for (ReviewWorksheet.CheckKey key : ReviewWorksheet.CheckKey.values()) {
            notes.put(key.name(), form.getOrDefault("note." + key.name(), ""));
        }
        try {
            AccessLogReviews.SignedReview review = reviews.signOff(start, who.getName(), notes, summary, corrects);
            redirect.addFlashAttribute("signed", review.id());
            return "redirect:/audit/review/" + start;
        } catch (AccessLogReviews.Refused e) {
            model.addAttribute("error", e.key);
            // A check is named as the reviewer sees it on the worksheet.
            model.addAttribute(
                    "errorArgument",
                    e.key.startsWith("review.error.note")
                            ? messages.getMessage("review.check." + e.argument, null, locale)
                            : e.argument);
            model.addAttribute("notes", notes);
            model.addAttribute("summary", summary);
            return worksheet(start, model);
        }
    }

    @GetMapping("/audit/review/report/{id}.pdf")
    ResponseEntity<byte[]> pdf(@PathVariable long id, Authentication who, Locale locale) {
        AccessLogReviews.SignedReview review = reviews.review(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No signed-off review " + id));
        events.record(SecurityEvent.success(SecurityEventType.ACCESS_LOG_SEARCH)
                .account(null, who.getName())
                .detail("review_report", id)
                .build());
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("access-log-review-" + review.start() + "-" + id + ".pdf")
                                .build()
                                .toString())
                .body(report.pdf(review, locale));
    }
}
