package jp.mamori.server.governance;

import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.MamoriPrincipal;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The account review's pages (アカウント棚卸し): the schedule and the reviews, one review's accounts
 * with their findings and decisions, sign-off, and the CSV and PDF record. The security officer and
 * administrators review; auditors read; disabling an account from the review is for administrators.
 */
@Controller
@PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER', 'AUDITOR')")
class AccountReviewController {

    private final AccountReviews reviews;
    private final AccountReviewExport export;
    private final SecurityEvents events;
    private final MessageSource messages;

    AccountReviewController(
            AccountReviews reviews, AccountReviewExport export, SecurityEvents events, MessageSource messages) {
        this.reviews = reviews;
        this.export = export;
        this.events = events;
        this.messages = messages;
    }

    @GetMapping("/governance/account-review")
    String list(Authentication auth, Model model) {
        model.addAttribute("schedule", reviews.schedule());
        model.addAttribute("reviews", reviews.all());
        model.addAttribute("months", reviews.months());
        model.addAttribute("today", reviews.today());
        model.addAttribute("canEdit", ChecklistController.canAnswer(auth));
        return "governance/account-reviews";
    }

    @PostMapping("/governance/account-review")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String start(
            @RequestParam String asOf, Authentication auth, Locale locale, HttpServletResponse response, Model model) {
        try {
            long id = reviews.start(date(asOf), ChecklistController.person(auth));
            return "redirect:/governance/account-review/" + id;
        } catch (AnswerRefused refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("error", message(refused, locale));
            return list(auth, model);
        }
    }

    @GetMapping("/governance/account-review/{id:\\d+}")
    String review(
            @PathVariable long id,
            @RequestParam(defaultValue = "false") boolean flaggedOnly,
            Authentication auth,
            Model model) {
        AccountReviews.Review review = found(id);
        var rows = reviews.rows(id);
        model.addAttribute("review", review);
        model.addAttribute("tally", AccountReviews.Tally.of(rows));
        model.addAttribute(
                "rows",
                flaggedOnly ? rows.stream().filter(AccountReviews.Row::flagged).toList() : rows);
        model.addAttribute("flaggedOnly", flaggedOnly);
        model.addAttribute("decisions", AccountReviews.Decision.values());
        boolean canEdit = ChecklistController.canAnswer(auth) && !review.signedOff();
        model.addAttribute("canEdit", canEdit);
        model.addAttribute(
                "canDisable", canEdit && auth.getPrincipal() instanceof MamoriPrincipal p && p.administrator());
        return "governance/account-review";
    }

    @PostMapping("/governance/account-review/{id:\\d+}/decision")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String decide(
            @PathVariable long id,
            @RequestParam long account,
            @RequestParam(required = false) @Nullable String decision,
            @RequestParam(required = false) @Nullable String note,
            @RequestParam(defaultValue = "false") boolean disableNow,
            @AuthenticationPrincipal MamoriPrincipal by,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        try {
            reviews.decide(id, account, decision(decision, account), note, disableNow, by);
            return "redirect:/governance/account-review/" + id + "#account-" + account;
        } catch (AnswerRefused refused) {
            return refusedOnPage(id, refused, account, auth, locale, response, model);
        } catch (IllegalArgumentException | org.springframework.security.access.AccessDeniedException refused) {
            // the identity module's own refusal (a reason it does not accept, or no administrator)
            return refusedOnPage(
                    id,
                    new AnswerRefused("accountreview.error.disableRefused", String.valueOf(refused.getMessage())),
                    account,
                    auth,
                    locale,
                    response,
                    model);
        }
    }

    @PostMapping("/governance/account-review/{id:\\d+}/keep-unflagged")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String keepUnflagged(
            @PathVariable long id, Authentication auth, Locale locale, HttpServletResponse response, Model model) {
        try {
            reviews.keepUnflagged(id, ChecklistController.person(auth));
            return "redirect:/governance/account-review/" + id;
        } catch (AnswerRefused refused) {
            return refusedOnPage(id, refused, null, auth, locale, response, model);
        }
    }

    @PostMapping("/governance/account-review/{id:\\d+}/sign-off")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String signOff(
            @PathVariable long id,
            @RequestParam(required = false) @Nullable String summary,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        try {
            reviews.signOff(id, summary, ChecklistController.person(auth));
            return "redirect:/governance/account-review/" + id;
        } catch (AnswerRefused refused) {
            return refusedOnPage(id, refused, null, auth, locale, response, model);
        }
    }

    @GetMapping("/governance/account-review/{id:\\d+}.csv")
    ResponseEntity<byte[]> csv(@PathVariable long id, Authentication auth) {
        AccountReviews.Review review = found(id);
        logged(auth, review, "csv");
        return download(
                new MediaType("text", "csv", StandardCharsets.UTF_8),
                fileName(review, "csv"),
                export.csv(reviews.rows(id)));
    }

    @GetMapping("/governance/account-review/{id:\\d+}.pdf")
    ResponseEntity<byte[]> pdf(@PathVariable long id, Authentication auth) {
        AccountReviews.Review review = found(id);
        logged(auth, review, "pdf");
        return download(MediaType.APPLICATION_PDF, fileName(review, "pdf"), export.pdf(review, reviews.rows(id)));
    }

    @ExceptionHandler(AnswerRefused.class)
    ResponseEntity<String> refused(AnswerRefused refused, Locale locale) {
        int status = refused.messageKey().equals("accountreview.error.noSuchReview") ? 404 : 400;
        return ResponseEntity.status(status)
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(message(refused, locale));
    }

    static String fileName(AccountReviews.Review review, String extension) {
        return "account-review-" + review.asOf() + "-" + review.id() + "." + extension;
    }

    private String refusedOnPage(
            long id,
            AnswerRefused refused,
            @Nullable Long account,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        model.addAttribute("error", message(refused, locale));
        model.addAttribute("errorAccount", account);
        return review(id, false, auth, model);
    }

    private void logged(Authentication auth, AccountReviews.Review review, String format) {
        Long accountId = auth.getPrincipal() instanceof MamoriPrincipal p ? p.accountId() : null;
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_EXPORTED)
                .account(accountId, auth.getName())
                .detail("what", "account_review")
                .detail("review", review.id())
                .detail("format", format)
                .build());
    }

    private AccountReviews.Review found(long id) {
        return reviews.review(id)
                .orElseThrow(() -> new AnswerRefused("accountreview.error.noSuchReview", String.valueOf(id)));
    }

    private String message(AnswerRefused refused, Locale locale) {
        return messages.getMessage(refused.messageKey(), refused.args(), locale);
    }

    private static LocalDate date(String value) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new AnswerRefused("accountreview.error.badDate", value);
        }
    }

    private static AccountReviews.Decision decision(@Nullable String value, long account) {
        if (value == null || value.isBlank()) {
            throw new AnswerRefused("accountreview.error.decisionRequired", String.valueOf(account));
        }
        try {
            return AccountReviews.Decision.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AnswerRefused("accountreview.error.noSuchDecision", value);
        }
    }

    static ResponseEntity<byte[]> download(MediaType type, String fileName, byte[] body) {
        return ResponseEntity.ok()
                .contentType(type)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(fileName, StandardCharsets.UTF_8)
                                .build()
                                .toString())
                .body(body);
    }
}
