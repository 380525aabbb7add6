package jp.mamori.server.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the fields the access log stores straight from an AuditEvent's JSON tree, for the batch
 * API's hot path: HAPI FHIR's full parse of a 1,000-event Bundle cost more than everything else
 * together. It checks what it reads, with messages that name the entry and the element, and refuses
 * elements that R4 AuditEvent does not have, as the strict parser does; the rest of the resource is
 * kept verbatim in the leaf. Answers the same as {@link AccessEvents#prepare} on valid input (a test
 * compares the two).
 */
final class AuditEventJson {

    /** The elements of an R4 AuditEvent (and of any DomainResource). */
    private static final Set<String> ELEMENTS = Set.of(
            "resourceType",
            "id",
            "meta",
            "implicitRules",
            "language",
            "text",
            "contained",
            "extension",
            "modifierExtension",
            "type",
            "subtype",
            "action",
            "period",
            "recorded",
            "outcome",
            "outcomeDesc",
            "purposeOfEvent",
            "agent",
            "source",
            "entity");

    private static final Set<String> ACTIONS = Set.of("C", "R", "U", "D", "E");
    private static final Set<String> OUTCOMES = Set.of("0", "4", "8", "12");

    private AuditEventJson() {}

    /** The fields stored as columns. */
    record Fields(
            Instant recorded,
            String type,
            String outcome,
            @Nullable String agentId,
            @Nullable String networkAddress,
            @Nullable String patient,
            @Nullable String sourceSystem) {}

    /** The resources of a batch or transaction Bundle's entries; refuses anything else. */
    static List<Object> bundleEntries(Object json) {
        Map<?, ?> bundle = object(json, "", "The body");
        if (!"Bundle".equals(bundle.get("resourceType"))) {
            throw new AccessEvents.Rejected("Expected a batch or transaction Bundle");
        }
        Object type = bundle.get("type");
        if (!"batch".equals(type) && !"transaction".equals(type)) {
            throw new AccessEvents.Rejected("Expected a batch or transaction Bundle");
        }
        if (!(bundle.get("entry") instanceof List<?> entries) || entries.isEmpty()) {
            throw new AccessEvents.Rejected("The Bundle has no entries");
        }
        java.util.ArrayList<Object> out = new java.util.ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Object resource = entries.get(i) instanceof Map<?, ?> entry ? entry.get("resource") : null;
            if (!(resource instanceof Map<?, ?> r) || !"AuditEvent".equals(r.get("resourceType"))) {
                throw new AccessEvents.Rejected("Bundle entry " + i + " is "
                        + (resource instanceof Map<?, ?> r2 ? "a " + r2.get("resourceType") : "empty")
                        + "; only AuditEvent entries are accepted");
            }
            out.add(resource);
        }
        return out;
    }

    /** Checks an AuditEvent's JSON and reads the stored fields; {@code where} prefixes errors. */
    static Fields read(Object json, String where) {
        Map<?, ?> e = object(json, where, "the AuditEvent");
        for (Object key : e.keySet()) {
            if (!ELEMENTS.contains(key)) {
                throw new AccessEvents.Rejected(where + "AuditEvent has no element \"" + key + "\"");
            }
        }
        Object recordedValue = e.get("recorded");
        if (recordedValue == null) {
            throw new AccessEvents.Rejected(where + "AuditEvent.recorded is required");
        }
        Instant recorded;
        try {
            recorded = OffsetDateTime.parse(string(recordedValue, where, "AuditEvent.recorded"))
                    .toInstant();
        } catch (DateTimeParseException ex) {
            throw new AccessEvents.Rejected(where + "AuditEvent.recorded \"" + recordedValue
                    + "\" is not an instant with a time zone, e.g. 2026-11-23T09:30:00+09:00");
        }
        String typeCode =
                e.get("type") instanceof Map<?, ?> type ? optString(type.get("code"), where, "type.code") : null;
        if (typeCode == null || typeCode.isEmpty()) {
            throw new AccessEvents.Rejected(where + "AuditEvent.type with a code is required");
        }
        String type = typeCode;
        if (e.get("subtype") != null) {
            if (!(e.get("subtype") instanceof List<?> subtypes)) {
                throw new AccessEvents.Rejected(where + "AuditEvent.subtype must be an array");
            }
            if (!subtypes.isEmpty()) {
                Map<?, ?> first = object(subtypes.get(0), where, "AuditEvent.subtype[0]");
                type = type + "/" + optString(first.get("code"), where, "AuditEvent.subtype[0].code");
            }
        }
        if (e.get("action") != null && !ACTIONS.contains(e.get("action"))) {
            throw new AccessEvents.Rejected(
                    where + "AuditEvent.action \"" + e.get("action") + "\" is not one of C, R, U, D, E");
        }
        String outcome = "0";
        if (e.get("outcome") != null) {
            outcome = string(e.get("outcome"), where, "AuditEvent.outcome");
            if (!OUTCOMES.contains(outcome)) {
                throw new AccessEvents.Rejected(
                        where + "AuditEvent.outcome \"" + outcome + "\" is not one of 0, 4, 8, 12");
            }
        }
        if (!(e.get("agent") instanceof List<?> agents) || agents.isEmpty()) {
            throw new AccessEvents.Rejected(where + "AuditEvent.agent is required: who accessed");
        }
        Map<?, ?> requestor = null;
        for (int i = 0; i < agents.size(); i++) {
            Map<?, ?> a = object(agents.get(i), where, "AuditEvent.agent[" + i + "]");
            if (Boolean.TRUE.equals(a.get("requestor")) && requestor == null) {
                requestor = a;
            }
        }
        if (requestor == null) {
            requestor = (Map<?, ?>) agents.get(0);
        }
        if (!(e.get("source") instanceof Map<?, ?> source) || source.isEmpty()) {
            throw new AccessEvents.Rejected(where + "AuditEvent.source is required: which system reports");
        }
        String address = requestor.get("network") instanceof Map<?, ?> network
                ? optString(network.get("address"), where, "AuditEvent.agent.network.address")
                : null;
        return new Fields(
                recorded,
                type,
                "0".equals(outcome) ? "SUCCESS" : "FAILURE",
                agentId(requestor, where),
                address,
                patient(e.get("entity"), where),
                sourceSystem(source, where));
    }

    private static @Nullable String agentId(Map<?, ?> agent, String where) {
        if (!(agent.get("who") instanceof Map<?, ?> who)) {
            return null;
        }
        String value = who.get("identifier") instanceof Map<?, ?> id
                ? optString(id.get("value"), where, "agent.who.identifier.value")
                : null;
        if (value != null && !value.isEmpty()) {
            return value;
        }
        String reference = optString(who.get("reference"), where, "agent.who.reference");
        if (reference != null && !reference.isEmpty()) {
            return reference.replaceFirst("^Practitioner/", "");
        }
        String display = optString(who.get("display"), where, "agent.who.display");
        return display == null || display.isEmpty() ? null : display;
    }

    private static @Nullable String patient(@Nullable Object entities, String where) {
        if (!(entities instanceof List<?> list)) {
            return null;
        }
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> entity) || !(entity.get("what") instanceof Map<?, ?> what)) {
                continue;
            }
            String reference = optString(what.get("reference"), where, "entity.what.reference");
            if (reference != null && reference.startsWith("Patient/")) {
                return reference.substring("Patient/".length());
            }
            String value = what.get("identifier") instanceof Map<?, ?> id
                    ? optString(id.get("value"), where, "entity.what.identifier.value")
                    : null;
            if (value != null
                    && !value.isEmpty()
                    && entity.get("type") instanceof Map<?, ?> type
                    && "1".equals(type.get("code"))) {
                return value;
            }
        }
        return null;
    }

    private static @Nullable String sourceSystem(Map<?, ?> source, String where) {
        if (source.get("observer") instanceof Map<?, ?> observer) {
            String value = observer.get("identifier") instanceof Map<?, ?> id
                    ? optString(id.get("value"), where, "source.observer.identifier.value")
                    : null;
            if (value != null && !value.isEmpty()) {
                return value;
            }
            String display = optString(observer.get("display"), where, "source.observer.display");
            if (display != null && !display.isEmpty()) {
                return display;
            }
        }
        String site = optString(source.get("site"), where, "source.site");
        return site == null || site.isEmpty() ? null : site;
    }

    private static Map<?, ?> object(@Nullable Object json, String where, String what) {
        if (!(json instanceof Map<?, ?> m)) {
            throw new AccessEvents.Rejected(where + what + " is not a JSON object");
        }
        return m;
    }

    private static String string(Object value, String where, String what) {
        if (!(value instanceof String s)) {
            throw new AccessEvents.Rejected(where + what + " must be a string");
        }
        return s;
    }

    private static @Nullable String optString(@Nullable Object value, String where, String what) {
        return value == null ? null : string(value, where, what);
    }
}
