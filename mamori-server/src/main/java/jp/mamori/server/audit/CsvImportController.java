package jp.mamori.server.audit;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;

/**
 * The screens of a CSV/TSV import: upload, mapping with a preview of the first lines, progress while
 * it runs (polled by htmx), and the per-line error report.
 */
@Controller
@PreAuthorize("hasAnyRole('AUDITOR', 'SECURITY_OFFICER', 'ADMIN')")
class CsvImportController {

    private final CsvImports imports;

    CsvImportController(CsvImports imports) {
        this.imports = imports;
    }

    /** The mapping form's fields; value maps as {@code word=value} lines. */
    record MappingForm(
            @Nullable String timeColumn,
            @Nullable String timePattern,
            @Nullable String timeZone,
            @Nullable String userColumn,
            @Nullable String userNameColumn,
            @Nullable String patientColumn,
            @Nullable String actionColumn,
            @Nullable String actionValues,
            @Nullable String terminalColumn,
            @Nullable String recordColumn,
            @Nullable String outcomeColumn,
            @Nullable String outcomeValues) {

        CsvMapping toMapping() {
            return new CsvMapping(
                    orEmpty(timeColumn),
                    orEmpty(timePattern).isBlank() ? "yyyy/MM/dd HH:mm:ss" : orEmpty(timePattern),
                    orEmpty(timeZone).isBlank()
                            ? "Asia/Tokyo"
                            : orEmpty(timeZone).strip(),
                    orEmpty(userColumn),
                    userNameColumn,
                    patientColumn,
                    actionColumn,
                    CsvMapping.parseValues(orEmpty(actionValues), "action"),
                    terminalColumn,
                    recordColumn,
                    outcomeColumn,
                    CsvMapping.parseValues(orEmpty(outcomeValues), "outcome"));
        }

        static MappingForm of(CsvMapping m) {
            return new MappingForm(
                    m.timeColumn(),
                    m.timePattern(),
                    m.timeZone(),
                    m.userColumn(),
                    m.userNameColumn(),
                    m.patientColumn(),
                    m.actionColumn(),
                    CsvMapping.formatValues(m.actionValues()),
                    m.terminalColumn(),
                    m.recordColumn(),
                    m.outcomeColumn(),
                    CsvMapping.formatValues(m.outcomeValues()));
        }

        /** A column field by its name, for the form's selects. */
        @Nullable
        public String get(String field) {
            return switch (field) {
                case "timeColumn" -> timeColumn;
                case "userColumn" -> userColumn;
                case "userNameColumn" -> userNameColumn;
                case "patientColumn" -> patientColumn;
                case "actionColumn" -> actionColumn;
                case "terminalColumn" -> terminalColumn;
                case "recordColumn" -> recordColumn;
                case "outcomeColumn" -> outcomeColumn;
                default -> null;
            };
        }

        private static String orEmpty(@Nullable String s) {
            return s == null ? "" : s;
        }
    }

    @GetMapping("/audit/import")
    String page(Model model) {
        model.addAttribute("imports", imports.latest(20));
        model.addAttribute("sourceSystems", imports.sourceSystems());
        return "audit/import";
    }

    @PostMapping("/audit/import")
    String upload(
            @RequestParam("file") MultipartFile file,
            @RequestParam String sourceSystem,
            @RequestParam(defaultValue = "auto") String encoding,
            @RequestParam(defaultValue = "auto") String delimiter,
            Authentication who,
            Model model)
            throws IOException {
        try {
            String name = file.getOriginalFilename() == null ? "upload.csv" : file.getOriginalFilename();
            long id = imports.upload(sourceSystem, name, file.getInputStream(), encoding, delimiter, who.getName());
            return "redirect:/audit/import/" + id;
        } catch (CsvImports.Unreadable e) {
            model.addAttribute("error", e.getMessage());
            return page(model);
        }
    }

    @GetMapping("/audit/import/{id}")
    String show(@PathVariable long id, Model model) {
        CsvImports.Upload upload = upload(id);
        if (!upload.state().equals("PREVIEW")) {
            return progressPage(upload, model);
        }
        CsvMapping mapping;
        try {
            mapping =
                    imports.mappingOf(upload.sourceSystem()).orElseGet(() -> CsvMapping.guess(imports.header(upload)));
        } catch (CsvImports.Unreadable e) {
            model.addAttribute("upload", upload);
            model.addAttribute("error", e.getMessage());
            return "audit/import-preview";
        }
        return preview(upload, MappingForm.of(mapping), model);
    }

    @PostMapping("/audit/import/{id}/preview")
    String preview(@PathVariable long id, @ModelAttribute MappingForm form, Model model) {
        return preview(upload(id), form, model);
    }

    private String preview(CsvImports.Upload upload, MappingForm form, Model model) {
        model.addAttribute("upload", upload);
        model.addAttribute("form", form);
        try {
            CsvImports.Preview preview = imports.preview(upload, form.toMapping());
            model.addAttribute("preview", preview);
            if (preview.mappingProblem() != null) {
                model.addAttribute("error", preview.mappingProblem());
            }
        } catch (CsvMapping.Invalid | CsvImports.Unreadable e) {
            model.addAttribute("error", e.getMessage());
        }
        return "audit/import-preview";
    }

    @PostMapping("/audit/import/{id}/start")
    String start(@PathVariable long id, @ModelAttribute MappingForm form, Authentication who, Model model) {
        CsvImports.Upload upload = upload(id);
        try {
            imports.start(upload, form.toMapping(), who.getName());
        } catch (CsvMapping.Invalid | CsvImports.Unreadable e) {
            preview(upload, form, model);
            model.addAttribute("error", e.getMessage());
            return "audit/import-preview";
        }
        return "redirect:/audit/import/" + id;
    }

    private String progressPage(CsvImports.Upload upload, Model model) {
        model.addAttribute("upload", upload);
        model.addAttribute("errors", imports.errors(upload.id(), 50));
        return "audit/import-progress";
    }

    /** The progress block alone, which the page polls while the import runs. */
    @GetMapping("/audit/import/{id}/progress")
    String progress(@PathVariable long id, Model model) {
        CsvImports.Upload upload = upload(id);
        model.addAttribute("upload", upload);
        model.addAttribute("errors", imports.errors(upload.id(), 50));
        return "audit/import-progress :: progress";
    }

    /** Every line that was not stored, as CSV (UTF-8 with BOM, so spreadsheet programs read the Japanese). */
    @GetMapping("/audit/import/{id}/errors.csv")
    void errors(@PathVariable long id, HttpServletResponse response) throws IOException {
        upload(id);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"import-" + id + "-errors.csv\"");
        PrintWriter out =
                new PrintWriter(new java.io.OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        out.print('\uFEFF');
        out.print("line,column,problem\r\n");
        for (CsvImports.LineError e : imports.errors(id, Integer.MAX_VALUE)) {
            out.print(e.line() + "," + quote(e.column()) + "," + quote(e.message()) + "\r\n");
        }
        out.flush();
    }

    static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private CsvImports.Upload upload(long id) {
        return imports.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    static List<String> encodings() {
        return List.of("auto", "UTF-8", "windows-31j");
    }
}
