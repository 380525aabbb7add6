package jp.mamori.server.governance;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * The vendor register's pages: the list with what is outstanding, one vendor with its contacts,
 * contracts, systems, assets and accounts, and the history of its changes. Administrators and the
 * security officer change it; auditors read.
 */
@Controller
@PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER', 'AUDITOR')")
class VendorController {

    private final VendorRegister register;
    private final VendorDocuments documents;
    private final VendorForms forms;
    private final VendorReminders reminders;
    private final MessageSource messages;

    VendorController(
            VendorRegister register,
            VendorDocuments documents,
            VendorForms forms,
            VendorReminders reminders,
            MessageSource messages) {
        this.register = register;
        this.documents = documents;
        this.forms = forms;
        this.reminders = reminders;
        this.messages = messages;
    }

    @GetMapping("/governance/vendors")
    String list(Authentication auth, Locale locale, Model model) {
        fillList(model, auth, locale);
        return "governance/vendors";
    }

    @PostMapping("/governance/vendors")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String save(
            @RequestParam Map<String, String> form,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        Long id = id(form.get("id"));
        try {
            long saved = register.save(id, VendorInput.vendor(form), ChecklistController.person(auth));
            return "redirect:/governance/vendors/" + saved;
        } catch (VendorInput.Refused refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            refusal(model, refused, form, "vendor", locale);
            if (id == null) {
                fillList(model, auth, locale);
                return "governance/vendors";
            }
            fillVendor(model, register.existing(id), auth, locale);
            return "governance/vendor";
        }
    }

    @GetMapping("/governance/vendors/{id}")
    String one(@PathVariable long id, Authentication auth, Locale locale, Model model) {
        fillVendor(model, register.existing(id), auth, locale);
        return "governance/vendor";
    }

    @PostMapping("/governance/vendors/{id}/contacts")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String saveContact(
            @PathVariable long id,
            @RequestParam Map<String, String> form,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(
                id,
                form,
                "contact",
                auth,
                locale,
                response,
                model,
                () -> register.saveContact(
                        id, id(form.get("contactId")), VendorInput.contact(form), ChecklistController.person(auth)));
    }

    @PostMapping("/governance/vendors/{id}/contacts/{contactId}/remove")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String removeContact(
            @PathVariable long id,
            @PathVariable long contactId,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(
                id,
                Map.of(),
                "contact",
                auth,
                locale,
                response,
                model,
                () -> register.removeContact(id, contactId, ChecklistController.person(auth)));
    }

    @PostMapping("/governance/vendors/{id}/contracts")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String saveContract(
            @PathVariable long id,
            @RequestParam Map<String, String> form,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(
                id,
                form,
                "contract",
                auth,
                locale,
                response,
                model,
                () -> register.saveContract(
                        id, id(form.get("contractId")), VendorInput.contract(form), ChecklistController.person(auth)));
    }

    @PostMapping("/governance/vendors/{id}/contracts/{contractId}/remove")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String removeContract(
            @PathVariable long id,
            @PathVariable long contractId,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(
                id,
                Map.of(),
                "contract",
                auth,
                locale,
                response,
                model,
                () -> register.removeContract(id, contractId, ChecklistController.person(auth)));
    }

    @PostMapping("/governance/vendors/{id}/documents")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String upload(
            @PathVariable long id,
            @RequestParam Map<String, String> form,
            @RequestParam(value = "file", required = false) @Nullable MultipartFile file,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(id, form, "document", auth, locale, response, model, () -> {
            VendorDocuments.Upload upload = VendorDocuments.read(
                    form,
                    file == null ? null : file.getOriginalFilename(),
                    file == null ? 0 : file.getSize(),
                    () -> bytes(file),
                    documents.maxBytes(),
                    register.today());
            documents.store(id, upload, ChecklistController.person(auth));
        });
    }

    @GetMapping("/governance/vendors/{id}/documents/{documentId}")
    ResponseEntity<byte[]> download(@PathVariable long id, @PathVariable long documentId) {
        VendorDocuments.Download d = documents.download(id, documentId);
        return VendorDocuments.asDownload(d.filename(), d.contentType(), d.sha256(), d.content());
    }

    @PostMapping("/governance/vendors/{id}/documents/{documentId}/review")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String reviewDocument(
            @PathVariable long id,
            @PathVariable long documentId,
            @RequestParam Map<String, String> form,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(id, form, "review", auth, locale, response, model, () -> {
            VendorInput.Fields f = new VendorInput.Fields(form);
            java.time.LocalDate day = f.date("reviewedOn", true);
            f.done();
            documents.review(id, documentId, day, form.get("reviewNote"), ChecklistController.person(auth));
        });
    }

    @ExceptionHandler(VendorRegister.NoSuchVendor.class)
    ResponseEntity<String> noSuchVendor(VendorRegister.NoSuchVendor missing, Locale locale) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(messages.getMessage(
                        "vendors.error.noSuchVendor", new Object[] {String.valueOf(missing.id)}, locale));
    }

    /** A refusal outside a page's form (a malformed id): said in plain text, nothing stored. */
    @ExceptionHandler(VendorInput.Refused.class)
    ResponseEntity<String> refused(VendorInput.Refused refused, Locale locale) {
        return ResponseEntity.badRequest()
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(String.join("\n", describe(refused.problems, locale)));
    }

    /** Runs one change of a vendor's page; a refusal shows the page again with what was entered. */
    private String change(
            long id,
            Map<String, String> form,
            String which,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model,
            Runnable action) {
        VendorRegister.Vendor vendor = register.existing(id);
        try {
            action.run();
            return "redirect:/governance/vendors/" + id;
        } catch (VendorInput.Refused refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            refusal(model, refused, form, which, locale);
            fillVendor(model, vendor, auth, locale);
            return "governance/vendor";
        }
    }

    private void refusal(
            Model model, VendorInput.Refused refused, Map<String, String> form, String which, Locale locale) {
        model.addAttribute("errors", describe(refused.problems, locale));
        model.addAttribute(
                "errorFields",
                refused.problems.stream().map(VendorInput.Problem::field).collect(Collectors.toSet()));
        model.addAttribute("entered", form);
        model.addAttribute("failedForm", which);
    }

    private void fillList(Model model, Authentication auth, Locale locale) {
        model.addAttribute("vendors", register.all());
        model.addAttribute("today", register.today());
        int year = forms.currentFiscalYear();
        model.addAttribute("year", year);
        model.addAttribute("yearLabel", VendorForms.label(year));
        model.addAttribute("formsOfYear", forms.currentOfYear(year));
        model.addAttribute(
                "reminders",
                reminders.outstanding().stream()
                        .map(r -> new Shown(r.vendorId(), r.kind().name(), reminders.describe(r, locale)))
                        .toList());
        model.addAttribute("canEdit", ChecklistController.canAnswer(auth));
        if (!model.containsAttribute("errorFields")) {
            model.addAttribute("errorFields", Set.of());
        }
    }

    private void fillVendor(Model model, VendorRegister.Vendor vendor, Authentication auth, Locale locale) {
        model.addAttribute("vendor", vendor);
        var today = register.today();
        model.addAttribute("today", today);
        model.addAttribute(
                "reminders",
                reminders.of(vendor.id()).stream()
                        .map(r -> new Shown(r.vendorId(), r.kind().name(), reminders.describe(r, locale)))
                        .toList());
        model.addAttribute(
                "formYears",
                forms.years().stream()
                        .map(y -> new FormYear(
                                y,
                                VendorForms.label(y),
                                forms.current(vendor.id(), y)
                                        .map(t -> t.statusOn(today))
                                        .orElse(VendorForms.Status.NOT_SENT)))
                        .toList());
        model.addAttribute("assets", register.assetsOf(vendor));
        model.addAttribute("accounts", register.accountsOf(vendor));
        model.addAttribute("history", register.history(vendor.id()));
        model.addAttribute(
                "documents",
                documents.of(vendor.id()).stream()
                        .filter(d -> d.kind() != VendorDocuments.Kind.FORM)
                        .toList());
        model.addAttribute("maxMegabytes", documents.maxBytes() / (1024 * 1024));
        model.addAttribute("canEdit", ChecklistController.canAnswer(auth));
        if (!model.containsAttribute("errorFields")) {
            model.addAttribute("errorFields", Set.of());
        }
    }

    /** A reminder as the page shows it. */
    record Shown(long vendorId, String kind, String text) {}

    /** A fiscal year's form of the vendor and where it stands. */
    record FormYear(int year, String label, VendorForms.Status status) {}

    private List<String> describe(List<VendorInput.Problem> problems, Locale locale) {
        return VendorInput.describe(problems, messages, locale);
    }

    static byte[] bytes(@Nullable MultipartFile file) {
        try {
            return file == null ? new byte[0] : file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static @Nullable Long id(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new VendorInput.Refused(List.of(new VendorInput.Problem("id", "vendors.error.badId", value)));
        }
    }
}
