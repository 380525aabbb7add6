package jp.mamori.server.governance;

import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import jp.mamori.server.identity.MamoriPrincipal;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The checklist page: the sheet laid out like the ministry's, the gate question first, each item
 * answered in place (htmx swaps the item's rows), Mamori's proposal beside it and the item's
 * history on request. The security officer and administrators answer; auditors read.
 */
@Controller
@PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER', 'AUDITOR')")
class ChecklistController {

    private final ChecklistCatalog catalog;
    private final ChecklistView view;
    private final Answers answers;
    private final MessageSource messages;
    private final String facility;

    ChecklistController(
            ChecklistCatalog catalog,
            ChecklistView view,
            Answers answers,
            MessageSource messages,
            jp.mamori.server.platform.MamoriProperties properties) {
        this.facility = properties.facilityName();
        this.catalog = catalog;
        this.view = view;
        this.answers = answers;
        this.messages = messages;
    }

    @GetMapping("/governance/checklist")
    String checklist(
            @RequestParam(required = false) @Nullable Integer year,
            @RequestParam(defaultValue = "MEDICAL") String form,
            Authentication auth,
            Model model) {
        Checklist sheet = sheet(year, form);
        fill(model, sheet, auth);
        return "governance/checklist";
    }

    /** The sheet in the layout of the ministry's form, for the inspector. */
    @GetMapping("/governance/checklist/export.xlsx")
    org.springframework.http.ResponseEntity<byte[]> exportExcel(@RequestParam int year, @RequestParam String form) {
        Checklist sheet = sheet(year, form);
        return org.springframework.http.ResponseEntity.ok()
                .contentType(ExcelSheets.XLSX)
                .header(
                        org.springframework.http.HttpHeaders.CONTENT_DISPOSITION,
                        org.springframework.http.ContentDisposition.attachment()
                                .filename("checklist-" + year + "-"
                                        + sheet.form().name().toLowerCase(Locale.ROOT) + ".xlsx")
                                .build()
                                .toString())
                .body(ExcelSheets.checklist(view.of(sheet), facility));
    }

    /** The sheet as PDF, with the same content as the Excel sheet. */
    @GetMapping("/governance/checklist/export.pdf")
    org.springframework.http.ResponseEntity<byte[]> exportPdf(@RequestParam int year, @RequestParam String form) {
        Checklist sheet = sheet(year, form);
        return org.springframework.http.ResponseEntity.ok()
                .contentType(org.springframework.http.MediaType.APPLICATION_PDF)
                .header(
                        org.springframework.http.HttpHeaders.CONTENT_DISPOSITION,
                        org.springframework.http.ContentDisposition.attachment()
                                .filename("checklist-" + year + "-"
                                        + sheet.form().name().toLowerCase(Locale.ROOT) + ".pdf")
                                .build()
                                .toString())
                .body(ChecklistPdf.render(view.of(sheet), facility));
    }

    @GetMapping("/governance/checklist/history")
    String history(@RequestParam int year, @RequestParam String form, @RequestParam String item, Model model) {
        Checklist sheet = sheet(year, form);
        model.addAttribute("history", answers.history(sheet, item));
        model.addAttribute("item", item);
        return "governance/fragments :: history";
    }

    @PostMapping("/governance/checklist/answer")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String answer(
            @RequestParam int year,
            @RequestParam String form,
            @RequestParam String item,
            @RequestParam String target,
            @RequestParam(required = false) @Nullable String reply,
            @RequestParam(required = false) @Nullable String checkedOn,
            @RequestParam(required = false) @Nullable String targetOn,
            @RequestParam(required = false) @Nullable String evidence,
            @RequestParam(defaultValue = "false") boolean fromProposal,
            @RequestHeader(value = "HX-Request", required = false) @Nullable String htmx,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        Checklist sheet = sheet(year, form);
        String error = null;
        try {
            Checklist.Target t = parse(Checklist.Target.class, target, "governance.error.noSuchTarget", item);
            Answers.Reply r = reply == null || reply.isBlank()
                    ? null
                    : parse(Answers.Reply.class, reply, "governance.error.replyRequired", item);
            answers.record(
                    sheet,
                    new Answers.Submission(
                            item, t, r, date(checkedOn, item), date(targetOn, item), evidence, fromProposal),
                    person(auth));
        } catch (AnswerRefused refused) {
            error = messages.getMessage(refused.messageKey(), refused.args(), locale);
        }
        if (htmx != null) {
            // htmx swaps only successful answers; the refusal is shown in the item's rows instead
            model.addAttribute("error", error);
            model.addAttribute("errorItem", item);
            model.addAttribute("sheet", view.of(sheet));
            model.addAttribute("row", view.row(sheet, item));
            model.addAttribute("canAnswer", true);
            return "governance/fragments :: item";
        }
        if (error != null) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("error", error);
            model.addAttribute("errorItem", item);
            fill(model, sheet, auth);
            return "governance/checklist";
        }
        return "redirect:"
                + org.springframework.web.util.UriComponentsBuilder.fromPath("/governance/checklist")
                        .queryParam("year", year)
                        .queryParam("form", sheet.form())
                        .fragment("item-" + item)
                        .encode()
                        .toUriString();
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(AnswerRefused.class)
    org.springframework.http.ResponseEntity<String> refused(AnswerRefused refused, Locale locale) {
        return org.springframework.http.ResponseEntity.badRequest()
                .contentType(new org.springframework.http.MediaType(
                        "text", "plain", java.nio.charset.StandardCharsets.UTF_8))
                .body(messages.getMessage(refused.messageKey(), refused.args(), locale));
    }

    private void fill(Model model, Checklist sheet, Authentication auth) {
        model.addAttribute("sheet", view.of(sheet));
        model.addAttribute("sheets", catalog.all());
        model.addAttribute("canAnswer", canAnswer(auth));
    }

    private Checklist sheet(@Nullable Integer year, String form) {
        Checklist.Form f = parse(Checklist.Form.class, form, "governance.error.noSuchForm", form);
        if (year == null) {
            return catalog.latest(f);
        }
        return catalog.find(year, f).orElseThrow(() -> new AnswerRefused("governance.error.noSuchSheet", year, form));
    }

    static boolean canAnswer(Authentication auth) {
        return auth.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN")
                        || a.getAuthority().equals("ROLE_SECURITY_OFFICER"));
    }

    static Answers.Person person(Authentication auth) {
        if (!(auth.getPrincipal() instanceof MamoriPrincipal p)) {
            throw new IllegalStateException("An answer needs a signed-in person");
        }
        return new Answers.Person(p.accountId(), p.loginId(), p.displayName());
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String key, Object where) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AnswerRefused(key, where, value);
        }
    }

    private static @Nullable LocalDate date(@Nullable String value, String item) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new AnswerRefused("governance.error.badDate", item, value);
        }
    }
}
