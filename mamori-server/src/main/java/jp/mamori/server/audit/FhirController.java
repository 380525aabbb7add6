package jp.mamori.server.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The access log's FHIR R4 interface: AuditEvent create, batch and transaction Bundles, and search
 * as IHE ITI-81 does. Answers carry each event's leaf index in the tamper-evident log.
 */
@RestController
@RequestMapping("/fhir")
class FhirController {

    static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json;charset=UTF-8");
    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    private final AccessEvents events;
    private final SecurityEvents securityEvents;
    private final NdjsonImport ndjson;

    FhirController(AccessEvents events, SecurityEvents securityEvents, NdjsonImport ndjson) {
        this.events = events;
        this.securityEvents = securityEvents;
        this.ndjson = ndjson;
    }

    /**
     * Many AuditEvents as NDJSON, read as the body streams in. Good lines are stored, bad lines named
     * in the OperationOutcome with their line numbers; 400 only when nothing at all could be stored.
     */
    @PostMapping(
            path = "/AuditEvent/$import",
            consumes = {"application/fhir+ndjson", "application/ndjson", "application/x-ndjson"})
    @PreAuthorize("hasRole('AUDIT_SOURCE')")
    ResponseEntity<String> importNdjson(jakarta.servlet.http.HttpServletRequest request) throws java.io.IOException {
        NdjsonImport.Result result = ndjson.read(request.getInputStream());
        OperationOutcome oo = new OperationOutcome();
        StringBuilder ranges = new StringBuilder();
        for (long[] r : result.ranges()) {
            ranges.append(ranges.isEmpty() ? "" : ", ").append(r[0]).append(r[0] == r[1] ? "" : "-" + r[1]);
        }
        oo.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("stored " + result.stored() + " events"
                        + (result.stored() > 0 ? " at leaf indexes " + ranges : "")
                        + "; " + result.duplicates() + " already stored; " + result.failed() + " lines failed"
                        + (result.failed() > result.failures().size()
                                ? " (the first " + result.failures().size() + " are listed)"
                                : ""));
        for (NdjsonImport.Failure f : result.failures()) {
            oo.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.INVALID)
                    .setDiagnostics(f.problem())
                    .addExpression("line " + f.line());
        }
        boolean nothing = result.stored() == 0 && result.duplicates() == 0;
        return ResponseEntity.status(nothing ? HttpStatus.BAD_REQUEST : HttpStatus.OK)
                .contentType(FHIR_JSON)
                .header("X-Mamori-Leaf-Ranges", ranges.toString())
                .body(AccessEvents.encode(oo));
    }

    @PostMapping("/AuditEvent")
    @PreAuthorize("hasRole('AUDIT_SOURCE')")
    ResponseEntity<String> create(@RequestBody(required = false) byte @Nullable [] body) {
        AccessEvents.Parsed parsed = AccessEvents.parse(body == null ? new byte[0] : body);
        if (!(parsed.resource() instanceof AuditEvent e)) {
            throw new AccessEvents.Rejected(
                    "Expected an AuditEvent, got a " + parsed.resource().fhirType());
        }
        long index = events.store(List.of(e), List.of(parsed.json())).get(0);
        e.setId(String.valueOf(index));
        return ResponseEntity.status(HttpStatus.CREATED)
                .contentType(FHIR_JSON)
                .header("Location", "AuditEvent/" + index)
                .header("X-Mamori-Leaf-Index", String.valueOf(index))
                .body(AccessEvents.encode(e));
    }

    @PostMapping({"", "/"})
    @PreAuthorize("hasRole('AUDIT_SOURCE')")
    ResponseEntity<String> bundle(@RequestBody(required = false) byte @Nullable [] body) {
        // The hot path of ingest: read with the access log's own JSON parser, not HAPI FHIR's.
        Object json = AccessEvents.parseJson(body == null ? new byte[0] : body);
        List<Long> indexes = events.storeBundleJson(json);
        boolean batch = "batch".equals(((java.util.Map<?, ?>) json).get("type"));
        // The response Bundle is written directly: a thousand entries through HAPI's encoder cost as
        // much as storing them.
        StringBuilder out = new StringBuilder(64 + indexes.size() * 80)
                .append("{\"resourceType\":\"Bundle\",\"type\":\"")
                .append(batch ? "batch-response" : "transaction-response")
                .append("\",\"entry\":[");
        for (int i = 0; i < indexes.size(); i++) {
            out.append(i == 0 ? "" : ",")
                    .append("{\"response\":{\"status\":\"201 Created\",\"location\":\"AuditEvent/")
                    .append(indexes.get(i))
                    .append("\"}}");
        }
        return ResponseEntity.ok().contentType(FHIR_JSON).body(out.append("]}").toString());
    }

    @GetMapping("/AuditEvent")
    @PreAuthorize("hasAnyRole('AUDITOR', 'SECURITY_OFFICER', 'ADMIN')")
    ResponseEntity<String> search(
            @RequestParam(required = false) @Nullable String patient,
            @RequestParam(required = false) @Nullable String agent,
            @RequestParam(required = false) @Nullable List<String> date,
            @RequestParam(name = "_count", defaultValue = "100") int count,
            Authentication who) {
        Instant from = null;
        Instant to = null;
        for (String d : date == null ? List.<String>of() : date) {
            if (d.startsWith("ge")) {
                from = instant(d.substring(2), false);
            } else if (d.startsWith("lt") || d.startsWith("le")) {
                to = instant(d.substring(2), d.startsWith("le"));
            } else {
                from = instant(d, false);
                to = instant(d, true);
            }
        }
        String patientId = patient == null ? null : patient.replaceFirst("^Patient/", "");
        var found =
                events.search(new AccessEvents.Search(patientId, agent, from, to, Math.min(Math.max(count, 1), 1000)));
        securityEvents.record(SecurityEvent.success(SecurityEventType.ACCESS_LOG_SEARCH)
                .account(null, who.getName())
                .detail("patient", patientId)
                .detail("agent", agent)
                .detail("results", found.size())
                .build());
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal(found.size());
        for (var f : found) {
            bundle.addEntry().setFullUrl("AuditEvent/" + f.index()).setResource(f.event());
        }
        return ResponseEntity.ok().contentType(FHIR_JSON).body(AccessEvents.encode(bundle));
    }

    @GetMapping("/metadata")
    ResponseEntity<String> metadata() {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.addFormat("application/fhir+json");
        cs.getSoftware().setName("Mamori access log");
        var rest = cs.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        var res = rest.addResource().setType("AuditEvent");
        res.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.CREATE);
        res.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
        for (String p : new String[] {"patient", "agent", "date"}) {
            res.addSearchParam()
                    .setName(p)
                    .setType(
                            p.equals("date")
                                    ? Enumerations.SearchParamType.DATE
                                    : Enumerations.SearchParamType.REFERENCE);
        }
        // NDJSON bulk: POST /fhir/AuditEvent/$import (docs/audit-ingest.md)
        res.addOperation().setName("import").setDefinition("AuditEvent/$import");
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION);
        return ResponseEntity.ok().contentType(FHIR_JSON).body(AccessEvents.encode(cs));
    }

    private static Instant instant(String value, boolean endOfDay) {
        try {
            if (value.length() == 10) {
                LocalDate d = LocalDate.parse(value);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(JST).toInstant();
            }
            return Instant.parse(value);
        } catch (RuntimeException e) {
            throw new AccessEvents.Rejected("date=" + value + " is not a date (YYYY-MM-DD) or an instant");
        }
    }

    /**
     * The access log is append-only: no role, the administrator's included, changes or deletes an
     * event. Said plainly, in FHIR's terms, to a client that tries.
     */
    @org.springframework.web.bind.annotation.RequestMapping(
            path = {"/AuditEvent/{id}", "/AuditEvent"},
            method = {
                org.springframework.web.bind.annotation.RequestMethod.PUT,
                org.springframework.web.bind.annotation.RequestMethod.PATCH,
                org.springframework.web.bind.annotation.RequestMethod.DELETE
            })
    ResponseEntity<String> neverChanged() {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
                .setDiagnostics("The access log is append-only: an AuditEvent is never updated or deleted."
                        + " Record a new event instead.");
        return ResponseEntity.status(org.springframework.http.HttpStatus.METHOD_NOT_ALLOWED)
                .header("Allow", "GET, POST")
                .contentType(FHIR_JSON)
                .body(AccessEvents.encode(oo));
    }

    @ExceptionHandler(AccessEvents.Rejected.class)
    ResponseEntity<String> rejected(AccessEvents.Rejected e) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.INVALID)
                .setDiagnostics(e.getMessage());
        return ResponseEntity.badRequest().contentType(FHIR_JSON).body(AccessEvents.encode(oo));
    }
}
