package jp.mamori.server.governance;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
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
import org.springframework.web.multipart.MultipartFile;

/** The asset register's pages: list, add and change, history, review sign-off, CSV import and export. */
@Controller
@PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER', 'AUDITOR')")
class AssetController {

    private final AssetRegister register;
    private final MessageSource messages;

    AssetController(AssetRegister register, MessageSource messages) {
        this.register = register;
        this.messages = messages;
    }

    @GetMapping("/governance/assets")
    String list(Authentication auth, Model model) {
        fill(model, auth);
        return "governance/assets";
    }

    @GetMapping("/governance/assets/{id}")
    String one(@PathVariable long id, Authentication auth, Model model) {
        var asset = register.byId(id).orElseThrow(() -> new AnswerRefused("governance.asset.error.noSuchAsset", id));
        model.addAttribute("asset", asset);
        model.addAttribute("fields", AssetField.values());
        model.addAttribute("kinds", AssetField.Kind.values());
        model.addAttribute("history", register.history(id));
        model.addAttribute("canEdit", ChecklistController.canAnswer(auth));
        return "governance/asset";
    }

    @PostMapping("/governance/assets")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String save(
            @RequestParam Map<String, String> params,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        String idParam = params.get("id");
        Long id = idParam == null || idParam.isBlank() ? null : Long.valueOf(idParam);
        try {
            long saved = register.save(id, AssetRegister.read(params, 0), ChecklistController.person(auth));
            return "redirect:/governance/assets/" + saved;
        } catch (AssetRegister.Refused refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("errors", describe(refused.problems, locale));
            model.addAttribute("entered", params);
            fill(model, auth);
            return "governance/assets";
        }
    }

    @PostMapping("/governance/assets/import")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String importCsv(
            @RequestParam("file") MultipartFile file,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model)
            throws IOException {
        try {
            var result = register.importFile(file.getBytes(), ChecklistController.person(auth));
            model.addAttribute(
                    "imported",
                    messages.getMessage(
                            "governance.asset.imported", new Object[] {result.created(), result.changed()}, locale));
        } catch (AssetRegister.Refused refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("errors", describe(refused.problems, locale));
        }
        fill(model, auth);
        return "governance/assets";
    }

    @GetMapping("/governance/assets/export.csv")
    ResponseEntity<byte[]> export(@RequestParam(defaultValue = "UTF-8") String encoding) {
        Charset charset = encoding.equalsIgnoreCase("Shift_JIS") ? AssetRegister.SHIFT_JIS : StandardCharsets.UTF_8;
        String suffix = charset.equals(StandardCharsets.UTF_8) ? "utf8" : "sjis";
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", charset))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("asset-register-" + suffix + ".csv")
                                .build()
                                .toString())
                .body(register.exportCsv(charset));
    }

    @GetMapping("/governance/assets/export.xlsx")
    ResponseEntity<byte[]> exportExcel() {
        return ResponseEntity.ok()
                .contentType(ExcelSheets.XLSX)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("asset-register.xlsx")
                                .build()
                                .toString())
                .body(ExcelSheets.assets(register.all()));
    }

    @PostMapping("/governance/assets/review")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String review(
            @RequestParam String reviewedOn,
            @RequestParam(required = false) @Nullable String note,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        try {
            LocalDate day;
            try {
                day = LocalDate.parse(reviewedOn.strip());
            } catch (DateTimeParseException e) {
                throw new AssetRegister.Refused(List.of(
                        new AssetRegister.RowProblem(0, null, "governance.asset.error.reviewDate", reviewedOn)));
            }
            register.review(day, note, ChecklistController.person(auth));
            return "redirect:/governance/assets";
        } catch (AssetRegister.Refused refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("errors", describe(refused.problems, locale));
            fill(model, auth);
            return "governance/assets";
        }
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(AnswerRefused.class)
    ResponseEntity<String> refused(AnswerRefused refused, Locale locale) {
        return ResponseEntity.badRequest()
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(messages.getMessage(refused.messageKey(), refused.args(), locale));
    }

    private void fill(Model model, Authentication auth) {
        model.addAttribute("assets", register.all());
        model.addAttribute("fields", AssetField.values());
        model.addAttribute("kinds", AssetField.Kind.values());
        model.addAttribute("review", register.latestReview().orElse(null));
        model.addAttribute("canEdit", ChecklistController.canAnswer(auth));
    }

    /** Each problem as one sentence: the line, the column and what is wrong. */
    private List<String> describe(List<AssetRegister.RowProblem> problems, Locale locale) {
        return problems.stream()
                .map(p -> {
                    String column = p.problem() == null ? "" : p.problem().field().header;
                    String what = messages.getMessage(p.messageKey(), new Object[] {column, p.detail()}, locale);
                    return p.line() > 0
                            ? messages.getMessage("governance.asset.error.line", new Object[] {p.line(), what}, locale)
                            : what;
                })
                .toList();
    }
}
