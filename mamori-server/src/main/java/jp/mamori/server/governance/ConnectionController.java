package jp.mamori.server.governance;

import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jp.mamori.server.governance.NetworkConnections.Connection;
import jp.mamori.server.governance.NetworkConnections.Segment;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.http.CacheControl;
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

/**
 * The connections register's pages: segments and connections with their findings, the network
 * diagram, each connection's and segment's history, the register's sign-off and the CSV export.
 * Administrators and the security officer change it; auditors read.
 */
@Controller
@PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER', 'AUDITOR')")
class ConnectionController {

    private final ConnectionRegister register;
    private final AssetRegister assets;
    private final NetworkDiagram diagram;
    private final MessageSource messages;

    ConnectionController(
            ConnectionRegister register, AssetRegister assets, NetworkDiagram diagram, MessageSource messages) {
        this.register = register;
        this.assets = assets;
        this.diagram = diagram;
        this.messages = messages;
    }

    @GetMapping("/governance/connections")
    String list(Authentication auth, Model model) {
        fill(model, auth);
        model.addAttribute("connectionForm", Map.of());
        model.addAttribute("segmentForm", Map.of());
        return "governance/connections";
    }

    @GetMapping("/governance/connections/{id:\\d+}")
    String one(@PathVariable long id, Authentication auth, Model model) {
        Connection c = register.connection(id)
                .orElseThrow(() -> new AnswerRefused("connections.error.noSuchConnection", "", String.valueOf(id)));
        return connectionPage(c, form(c), auth, model);
    }

    @GetMapping("/governance/connections/segments/{id:\\d+}")
    String segment(@PathVariable long id, Authentication auth, Model model) {
        Segment s = register.segment(id)
                .orElseThrow(() -> new AnswerRefused("connections.error.noSuchSegment", "", String.valueOf(id)));
        return segmentPage(s, form(s), auth, model);
    }

    @PostMapping("/governance/connections")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String saveConnection(
            @RequestParam Map<String, String> params,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        Long id = idOf(params);
        try {
            long saved = register.saveConnection(
                    id, ConnectionForm.connection(params, register.today()), ChecklistController.person(auth));
            return "redirect:/governance/connections/" + saved;
        } catch (ConnectionForm.Refused refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            refusal(model, refused, locale);
            var existing = id == null ? null : register.connection(id).orElse(null);
            if (existing != null) {
                return connectionPage(existing, params, auth, model);
            }
            fill(model, auth);
            model.addAttribute("connectionForm", params);
            model.addAttribute("segmentForm", Map.of());
            return "governance/connections";
        }
    }

    @PostMapping("/governance/connections/segments")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String saveSegment(
            @RequestParam Map<String, String> params,
            Authentication auth,
            Locale locale,
            HttpServletResponse response,
            Model model) {
        Long id = idOf(params);
        try {
            register.saveSegment(id, ConnectionForm.segment(params), ChecklistController.person(auth));
            return "redirect:/governance/connections#segments";
        } catch (ConnectionForm.Refused refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            refusal(model, refused, locale);
            var existing = id == null ? null : register.segment(id).orElse(null);
            if (existing != null) {
                return segmentPage(existing, params, auth, model);
            }
            fill(model, auth);
            model.addAttribute("connectionForm", Map.of());
            model.addAttribute("segmentForm", params);
            return "governance/connections";
        }
    }

    @PostMapping("/governance/connections/{id:\\d+}/remove")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String removeConnection(
            @PathVariable long id, Authentication auth, Locale locale, Model model, HttpServletResponse response) {
        try {
            register.removeConnection(id, ChecklistController.person(auth));
            return "redirect:/governance/connections";
        } catch (ConnectionForm.Refused refused) {
            return refusedOnList(refused, auth, locale, model, response);
        }
    }

    @PostMapping("/governance/connections/segments/{id:\\d+}/remove")
    @PreAuthorize("hasAnyRole('ADMIN', 'SECURITY_OFFICER')")
    String removeSegment(
            @PathVariable long id, Authentication auth, Locale locale, Model model, HttpServletResponse response) {
        try {
            register.removeSegment(id, ChecklistController.person(auth));
            return "redirect:/governance/connections#segments";
        } catch (ConnectionForm.Refused refused) {
            return refusedOnList(refused, auth, locale, model, response);
        }
    }

    @PostMapping("/governance/connections/review")
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
                throw new ConnectionForm.Refused("reviewedOn", "connections.error.date", reviewedOn);
            }
            register.review(day, note, ChecklistController.person(auth));
            return "redirect:/governance/connections";
        } catch (ConnectionForm.Refused refused) {
            return refusedOnList(refused, auth, locale, model, response);
        }
    }

    @GetMapping("/governance/connections/export.csv")
    ResponseEntity<byte[]> export() {
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("connections.csv")
                                .build()
                                .toString())
                .body(register.exportCsv());
    }

    @GetMapping("/governance/connections/diagram.svg")
    ResponseEntity<byte[]> diagram() {
        return ResponseEntity.ok()
                .contentType(new MediaType("image", "svg+xml", StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .body(diagram.svg().getBytes(StandardCharsets.UTF_8));
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(AnswerRefused.class)
    ResponseEntity<String> notFound(AnswerRefused refused, Locale locale) {
        return ResponseEntity.status(404)
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(messages.getMessage(refused.messageKey(), refused.args(), locale));
    }

    private String refusedOnList(
            ConnectionForm.Refused refused,
            Authentication auth,
            Locale locale,
            Model model,
            HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        refusal(model, refused, locale);
        fill(model, auth);
        model.addAttribute("connectionForm", Map.of());
        model.addAttribute("segmentForm", Map.of());
        return "governance/connections";
    }

    private String connectionPage(Connection c, Map<String, String> form, Authentication auth, Model model) {
        model.addAttribute("connection", c);
        model.addAttribute("connectionForm", form);
        model.addAttribute("history", register.history("CONNECTION", c.id()));
        common(model, auth);
        return "governance/connection";
    }

    private String segmentPage(Segment s, Map<String, String> form, Authentication auth, Model model) {
        model.addAttribute("segment", s);
        model.addAttribute("segmentForm", form);
        model.addAttribute("history", register.history("SEGMENT", s.id()));
        common(model, auth);
        return "governance/segment";
    }

    private void fill(Model model, Authentication auth) {
        List<Connection> connections = register.connections();
        model.addAttribute("connections", connections);
        model.addAttribute(
                "findingCount",
                connections.stream().mapToLong(c -> c.findings().size()).sum());
        model.addAttribute("review", register.latestReview().orElse(null));
        common(model, auth);
    }

    private void common(Model model, Authentication auth) {
        model.addAttribute("segments", register.segments());
        model.addAttribute("zones", NetworkConnections.Zone.values());
        model.addAttribute("kinds", NetworkConnections.Kind.values());
        model.addAttribute(
                "assetNames",
                assets.all().stream().map(AssetRegister.Asset::name).toList());
        model.addAttribute("canEdit", ChecklistController.canAnswer(auth));
        if (!model.containsAttribute("invalid")) {
            model.addAttribute("invalid", Set.of());
        }
    }

    /** Each problem as a sentence that names the field, and the set of fields to mark. */
    private void refusal(Model model, ConnectionForm.Refused refused, Locale locale) {
        Set<String> invalid = new LinkedHashSet<>();
        List<String> errors = refused.problems.stream()
                .map(p -> {
                    invalid.add(p.field());
                    Object[] args = new Object[p.args().size() + 1];
                    args[0] = messages.getMessage("connections.field." + p.field(), null, p.field(), locale);
                    for (int i = 0; i < p.args().size(); i++) {
                        args[i + 1] = p.args().get(i);
                    }
                    return messages.getMessage(p.messageKey(), args, locale);
                })
                .toList();
        model.addAttribute("errors", errors);
        model.addAttribute("invalid", invalid);
    }

    private static @Nullable Long idOf(Map<String, String> params) {
        String v = params.get("id");
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(v.strip());
        } catch (NumberFormatException e) {
            throw new ConnectionForm.Refused("id", "connections.error.noSuchConnection", v);
        }
    }

    /** The form's fields filled from a stored connection. */
    static Map<String, String> form(Connection c) {
        Map<String, String> m = new HashMap<>();
        m.put("id", String.valueOf(c.id()));
        m.put("name", c.name());
        m.put("kind", c.kind().name());
        m.put("fromSegment", String.valueOf(c.fromSegmentId()));
        m.put("toSegment", c.toSegmentId() == null ? "" : String.valueOf(c.toSegmentId()));
        m.put("externalParty", nz(c.externalParty()));
        m.put("vendorName", nz(c.vendorName()));
        m.put("vendorAccounts", String.join("\n", c.vendorAccounts()));
        m.put("method", nz(c.method()));
        m.put("sources", String.join("\n", c.sources()));
        m.put("authentication", nz(c.authentication()));
        m.put("availability", c.alwaysOn() ? "ALWAYS_ON" : "ON_DEMAND");
        m.put(
                "assets",
                String.join(
                        "\n",
                        c.assets().stream()
                                .map(NetworkConnections.AssetRef::name)
                                .toList()));
        m.put("windows", c.windowsShown());
        m.put("owner", nz(c.owner()));
        m.put("notes", nz(c.notes()));
        m.put("reviewedOn", c.reviewedOn() == null ? "" : c.reviewedOn().toString());
        return m;
    }

    static Map<String, String> form(Segment s) {
        Map<String, String> m = new HashMap<>();
        m.put("id", String.valueOf(s.id()));
        m.put("name", s.name());
        m.put("cidr", nz(s.cidr()));
        m.put("purpose", nz(s.purpose()));
        m.put("vlan", s.vlan() == null ? "" : s.vlan().toString());
        m.put("zone", s.zone().name());
        m.put("notes", nz(s.notes()));
        return m;
    }

    private static String nz(@Nullable String s) {
        return s == null ? "" : s;
    }
}
