package jp.mamori.server.governance;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import jp.mamori.server.identity.MamoriPrincipal;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The download of the pack for an on-site inspection, for the institution's own sheet of a fiscal year. */
@Controller
@PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER', 'AUDITOR')")
class InspectionPackController {

    private final InspectionPack pack;
    private final ChecklistCatalog catalog;
    private final GovernanceSettings settings;
    private final SecurityEvents events;
    private final MessageSource messages;

    InspectionPackController(
            InspectionPack pack,
            ChecklistCatalog catalog,
            GovernanceSettings settings,
            SecurityEvents events,
            MessageSource messages) {
        this.pack = pack;
        this.catalog = catalog;
        this.settings = settings;
        this.events = events;
        this.messages = messages;
    }

    @GetMapping("/governance/inspection-pack.zip")
    ResponseEntity<byte[]> download(@RequestParam(required = false) @Nullable String year, Authentication auth) {
        Checklist sheet = sheet(year);
        String who = auth.getPrincipal() instanceof MamoriPrincipal p ? p.displayName() : auth.getName();
        InspectionPack.Made made = pack.make(sheet, who);
        events.record(SecurityEvent.success(SecurityEventType.GOVERNANCE_EXPORTED)
                .account(auth.getPrincipal() instanceof MamoriPrincipal p ? p.accountId() : null, auth.getName())
                .detail("what", "inspection_pack")
                .detail("fiscal_year", sheet.fiscalYear())
                .detail("form", sheet.form().name())
                .detail("files", String.join(",", made.names()))
                .build());
        return AccountReviewController.download(
                MediaType.parseMediaType("application/zip"), "立入検査用資料_" + sheet.label() + ".zip", made.zip());
    }

    private Checklist sheet(@Nullable String year) {
        if (year == null || year.isBlank()) {
            return catalog.latest(settings.form());
        }
        int y;
        try {
            y = Integer.parseInt(year.strip());
        } catch (NumberFormatException e) {
            throw new AnswerRefused("accountreview.error.packYear", year);
        }
        return catalog.find(y, settings.form())
                .orElseThrow(
                        () -> new AnswerRefused("governance.error.noSuchSheet", String.valueOf(y), settings.form()));
    }

    @ExceptionHandler(AnswerRefused.class)
    ResponseEntity<String> refused(AnswerRefused refused, Locale locale) {
        return ResponseEntity.badRequest()
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(messages.getMessage(refused.messageKey(), refused.args(), locale));
    }
}
