package jp.mamori.server.audit;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDate;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Download of the whole access log for the offline verifier. */
@Controller
class AuditExportController {

    private final AuditExport export;

    AuditExportController(AuditExport export) {
        this.export = export;
    }

    @GetMapping("/admin/audit/export.zip")
    void download(HttpServletResponse response) throws IOException {
        response.setContentType("application/zip");
        response.setHeader("Content-Disposition", "attachment; filename=\"mamori-audit-" + LocalDate.now() + ".zip\"");
        export.writeZip(response.getOutputStream());
    }
}
