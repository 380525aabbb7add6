package jp.mamori.server.governance;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import jp.mamori.server.platform.MamoriProperties;
import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The vendors' contact chart (連絡体制図) as a printable page and as CSV, for the inspector. */
@Controller
@PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER', 'AUDITOR')")
class ContactChartController {

    private final ContactChart chart;
    private final VendorRegister register;
    private final MessageSource messages;
    private final String facility;

    ContactChartController(
            ContactChart chart, VendorRegister register, MessageSource messages, MamoriProperties properties) {
        this.chart = chart;
        this.register = register;
        this.messages = messages;
        this.facility = properties.facilityName();
    }

    @GetMapping("/governance/vendors/contact-chart")
    String page(Model model) {
        model.addAttribute("groups", chart.groups());
        model.addAttribute("facility", facility);
        model.addAttribute("today", register.today());
        return "governance/contact-chart";
    }

    @GetMapping("/governance/vendors/contact-chart.csv")
    ResponseEntity<byte[]> csv(@RequestParam(defaultValue = "UTF-8") String encoding, Locale locale) {
        Charset charset = encoding.equalsIgnoreCase("Shift_JIS") ? AssetRegister.SHIFT_JIS : StandardCharsets.UTF_8;
        String suffix = charset.equals(StandardCharsets.UTF_8) ? "utf8" : "sjis";
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", charset))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("vendor-contact-chart-" + suffix + ".csv")
                                .build()
                                .toString())
                .body(chart.csv(
                        charset,
                        messages.getMessage("vendors.chart.noSystem", null, Locale.JAPANESE),
                        messages.getMessage("vendors.chart.missing", null, Locale.JAPANESE)));
    }
}
