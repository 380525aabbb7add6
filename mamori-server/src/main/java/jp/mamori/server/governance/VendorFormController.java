package jp.mamori.server.governance;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * One vendor's 事業者確認用 form of one fiscal year: when it went out and came back, the vendor's
 * はい/いいえ per item as copied from the returned form, and the returned file itself.
 */
@Controller
@PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER', 'AUDITOR')")
class VendorFormController {

    /** Form fields that carry a reply start with this, followed by the cell key (item/target). */
    static final String CELL = "cell:";

    private final VendorRegister register;
    private final VendorForms forms;
    private final VendorDocuments documents;
    private final MessageSource messages;

    VendorFormController(
            VendorRegister register, VendorForms forms, VendorDocuments documents, MessageSource messages) {
        this.register = register;
        this.forms = forms;
        this.documents = documents;
        this.messages = messages;
    }

    @GetMapping("/governance/vendors/{id}/forms/{year}")
    String page(@PathVariable long id, @PathVariable int year, Authentication auth, Model model) {
        fill(model, id, year, auth);
        return "governance/vendor-form";
    }

    @PostMapping("/governance/vendors/{id}/forms/{year}")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String track(
            @PathVariable long id,
            @PathVariable int year,
            @RequestParam Map<String, String> form,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(id, year, form, "tracking", auth, locale, response, model, () -> {
            VendorInput.Fields f = new VendorInput.Fields(form);
            var sent = f.date("sentOn", false);
            var due = f.date("dueOn", false);
            var received = f.date("receivedOn", false);
            f.done();
            forms.record(id, year, sent, due, received, form.get("note"), ChecklistController.person(auth));
        });
    }

    @PostMapping("/governance/vendors/{id}/forms/{year}/answers")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String answers(
            @PathVariable long id,
            @PathVariable int year,
            @RequestParam Map<String, String> form,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(id, year, form, "answers", auth, locale, response, model, () -> {
            Map<String, String> replies = new HashMap<>();
            form.forEach((k, v) -> {
                if (k.startsWith(CELL)) {
                    replies.put(k.substring(CELL.length()), v);
                }
            });
            forms.recordAnswers(id, year, replies, ChecklistController.person(auth));
        });
    }

    @PostMapping("/governance/vendors/{id}/forms/{year}/file")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String file(
            @PathVariable long id,
            @PathVariable int year,
            @RequestParam Map<String, String> form,
            @RequestParam(value = "file", required = false) @Nullable MultipartFile file,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(id, year, form, "file", auth, locale, response, model, () -> {
            Map<String, String> fields = new HashMap<>(form);
            fields.put("kind", VendorDocuments.Kind.FORM.name());
            fields.put("fiscalYear", String.valueOf(year));
            fields.putIfAbsent("edition", VendorForms.label(year));
            VendorDocuments.Upload upload = VendorDocuments.read(
                    fields,
                    file == null ? null : file.getOriginalFilename(),
                    file == null ? 0 : file.getSize(),
                    () -> {
                        try {
                            return file == null ? new byte[0] : file.getBytes();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    documents.maxBytes(),
                    register.today());
            documents.store(id, upload, ChecklistController.person(auth));
        });
    }

    @ExceptionHandler(VendorRegister.NoSuchVendor.class)
    ResponseEntity<String> noSuchVendor(VendorRegister.NoSuchVendor missing, Locale locale) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(messages.getMessage(
                        "vendors.error.noSuchVendor", new Object[] {String.valueOf(missing.id)}, locale));
    }

    private String change(
            long id,
            int year,
            Map<String, String> form,
            String which,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model,
            Runnable action) {
        register.existing(id);
        try {
            action.run();
            return "redirect:/governance/vendors/" + id + "/forms/" + year;
        } catch (VendorInput.Refused refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("errors", VendorInput.describe(refused.problems, messages, locale));
            model.addAttribute(
                    "errorFields",
                    refused.problems.stream().map(VendorInput.Problem::field).collect(Collectors.toSet()));
            model.addAttribute("entered", form);
            model.addAttribute("failedForm", which);
            fill(model, id, year, auth);
            return "governance/vendor-form";
        }
    }

    private void fill(Model model, long id, int year, Authentication auth) {
        VendorRegister.Vendor vendor = register.existing(id);
        var today = register.today();
        var tracking = forms.current(id, year).orElse(null);
        model.addAttribute("vendor", vendor);
        model.addAttribute("year", year);
        model.addAttribute("yearLabel", VendorForms.label(year));
        model.addAttribute("tracking", tracking);
        model.addAttribute("status", tracking == null ? VendorForms.Status.NOT_SENT : tracking.statusOn(today));
        model.addAttribute("trackingHistory", forms.history(id, year));
        model.addAttribute("sheet", forms.sheetFor(year).orElse(null));
        model.addAttribute("answers", forms.answers(id, year));
        model.addAttribute(
                "files",
                documents.of(id).stream()
                        .filter(d -> d.kind() == VendorDocuments.Kind.FORM
                                && d.fiscalYear() != null
                                && d.fiscalYear() == year)
                        .toList());
        model.addAttribute("today", today);
        model.addAttribute("maxMegabytes", documents.maxBytes() / (1024 * 1024));
        model.addAttribute("dueDays", forms.dueDays());
        model.addAttribute("canEdit", ChecklistController.canAnswer(auth));
        if (!model.containsAttribute("errorFields")) {
            model.addAttribute("errorFields", Set.of());
        }
    }
}
