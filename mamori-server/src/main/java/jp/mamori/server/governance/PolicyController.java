package jp.mamori.server.governance;

import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
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
 * The page of the institution's rules and plans (規程・計画): each document with its current approved
 * version, its review due date, and every older version to download. Administrators and the security
 * officer upload and record approvals; auditors read.
 */
@Controller
@PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER', 'AUDITOR')")
class PolicyController {

    private final Policies policies;
    private final MessageSource messages;

    PolicyController(Policies policies, MessageSource messages) {
        this.policies = policies;
        this.messages = messages;
    }

    @GetMapping("/governance/policies")
    String page(Authentication auth, Model model) {
        fill(model, auth);
        return "governance/policies";
    }

    @PostMapping("/governance/policies")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String create(
            @RequestParam Map<String, String> form,
            @RequestParam(value = "file", required = false) @Nullable MultipartFile file,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(form, "new", auth, locale, response, model, () -> {
            VendorInput.Fields f = new VendorInput.Fields(form);
            Policies.Kind kind = Policies.kind(f, form.get("kind"));
            String title = f.required("title", Policies.MAX_TITLE);
            Policies.Upload upload = read(f, form, file);
            f.done();
            policies.create(kind, title, upload, ChecklistController.person(auth));
        });
    }

    @PostMapping("/governance/policies/{id}/versions")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String addVersion(
            @PathVariable long id,
            @RequestParam Map<String, String> form,
            @RequestParam(value = "file", required = false) @Nullable MultipartFile file,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(form, "version-" + id, auth, locale, response, model, () -> {
            VendorInput.Fields f = new VendorInput.Fields(form);
            Policies.Upload upload = read(f, form, file);
            f.done();
            policies.addVersion(id, upload, ChecklistController.person(auth));
        });
    }

    @PostMapping("/governance/policies/versions/{versionId}/approve")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String approve(
            @PathVariable long versionId,
            @RequestParam Map<String, String> form,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        return change(
                form,
                "approve-" + versionId,
                auth,
                locale,
                response,
                model,
                () -> policies.approve(versionId, form, ChecklistController.person(auth)));
    }

    @GetMapping("/governance/policies/versions/{versionId}")
    ResponseEntity<byte[]> download(@PathVariable long versionId) {
        Policies.Download d = policies.download(versionId);
        return VendorDocuments.asDownload(d.filename(), d.contentType(), d.sha256(), d.content());
    }

    /** A refusal outside the page's forms (an unknown version): said in plain text, nothing stored. */
    @ExceptionHandler(VendorInput.Refused.class)
    ResponseEntity<String> refused(VendorInput.Refused refused, Locale locale) {
        return ResponseEntity.status(404)
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(String.join("\n", describe(refused.problems, locale)));
    }

    private Policies.Upload read(VendorInput.Fields f, Map<String, String> form, @Nullable MultipartFile file) {
        return Policies.read(
                f,
                form,
                file == null ? null : file.getOriginalFilename(),
                file == null ? 0 : file.getSize(),
                () -> VendorController.bytes(file),
                policies.maxBytes());
    }

    /** Runs one change; a refusal shows the page again with every problem, by field, and stores nothing. */
    private String change(
            Map<String, String> form,
            String which,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model,
            Runnable action) {
        try {
            action.run();
            return "redirect:/governance/policies";
        } catch (VendorInput.Refused refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("errors", describe(refused.problems, locale));
            model.addAttribute(
                    "errorFields",
                    refused.problems.stream().map(VendorInput.Problem::field).collect(Collectors.toSet()));
            model.addAttribute("entered", form);
            model.addAttribute("failedForm", which);
            fill(model, auth);
            return "governance/policies";
        }
    }

    private void fill(Model model, Authentication auth) {
        model.addAttribute("documents", policies.all());
        model.addAttribute("kinds", Policies.Kind.values());
        model.addAttribute("today", policies.today());
        model.addAttribute("maxMegabytes", policies.maxBytes() / (1024 * 1024));
        model.addAttribute("canEdit", ChecklistController.canAnswer(auth));
        if (!model.containsAttribute("errorFields")) {
            model.addAttribute("errorFields", Set.of());
            model.addAttribute("entered", Map.of());
            model.addAttribute("failedForm", "");
        }
    }

    private List<String> describe(List<VendorInput.Problem> problems, Locale locale) {
        return problems.stream()
                .map(p -> messages.getMessage(
                        p.messageKey(),
                        new Object[] {
                            messages.getMessage("policies.field." + p.field(), null, p.field(), locale), p.value()
                        },
                        locale))
                .toList();
    }
}
