package jp.mamori.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.mamori.auditlog.jcs.Json;
import jp.mamori.auditlog.jcs.JsonParseException;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Accesses to medical information reported by other systems as FHIR AuditEvent (shaped after IHE
 * BALP): checked, turned into leaves of the facility log, and found again by patient, user and time.
 * A batch is appended all or nothing.
 */
@Service
class AccessEvents {

    static final String KIND = "access";
    static final int MAX_EVENT_BYTES = 64 * 1024;
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final FacilityLog log;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditSettings settings;

    AccessEvents(FacilityLog log, JdbcClient jdbc, Clock clock, AuditSettings settings) {
        this.log = log;
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * How an event came in.
     *
     * @param channel fhir, ndjson, csv or syslog
     * @param sourceSystem the reporting system when the channel knows it (a CSV mapping's name, a
     *     client certificate); otherwise taken from AuditEvent.source
     * @param sourceEventId the source's own name for the event, which makes a resend a no-op
     * @param live the event is reported as it happens, so its time should match ours; an import of
     *     past events is only suspicious when its time lies ahead of ours
     */
    record Arrival(String channel, @Nullable String sourceSystem, @Nullable String sourceEventId, boolean live) {

        static final Arrival FHIR = new Arrival("fhir", null, null, true);
    }

    /** A request that cannot be stored, with where and why. */
    static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message);
        }
    }

    private static IParser parser() {
        return FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    }

    /** A request body as FHIR objects, and as the JSON tree the leaves are made from. */
    record Parsed(Resource resource, Object json) {}

    /** Parses one AuditEvent or a Bundle of them; checks the JSON first so errors name a line and column. */
    static Parsed parse(byte[] body) {
        if (body.length == 0) {
            throw new Rejected("The request has no body");
        }
        Object json;
        try {
            json = Json.parse(body);
        } catch (JsonParseException e) {
            throw new Rejected("The body is not JSON: " + e.getMessage());
        }
        try {
            return new Parsed((Resource) parser().parseResource(new String(body, StandardCharsets.UTF_8)), json);
        } catch (DataFormatException | ClassCastException e) {
            throw new Rejected("The body is not a FHIR R4 resource: " + e.getMessage());
        }
    }

    /** The JSON of each Bundle entry's resource, in order. */
    @SuppressWarnings("unchecked")
    static List<Object> entryJson(Object bundleJson) {
        List<Object> out = new ArrayList<>();
        if (bundleJson instanceof Map<?, ?> m && m.get("entry") instanceof List<?> entries) {
            for (Object entry : entries) {
                out.add(entry instanceof Map<?, ?> em ? em.get("resource") : null);
            }
        }
        return out;
    }

    /** Stores events built in this process (their JSON made by the FHIR encoder). */
    List<Long> store(List<AuditEvent> events) {
        List<Object> jsons = new ArrayList<>();
        for (AuditEvent e : events) {
            jsons.add(jsonOf(e));
        }
        return store(events, jsons);
    }

    /** The JSON tree of an event built in this process. */
    static Object jsonOf(AuditEvent e) {
        try {
            return Json.parse(parser().encodeResourceToString(e));
        } catch (JsonParseException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Stores the events in one append; returns the leaf index of each, in order. */
    List<Long> store(List<AuditEvent> events, List<Object> jsons) {
        Instant received = clock.instant();
        List<FacilityLog.Entry> entries = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            entries.add(prepare(
                    events.get(i),
                    jsons.get(i),
                    received,
                    Arrival.FHIR,
                    events.size() == 1 ? "" : "entry " + i + ": "));
        }
        return append(entries);
    }

    /**
     * Appends prepared events in one transaction; returns the leaf index of each, or {@link
     * FacilityLog#DUPLICATE} where the source event was stored before. Committed on return.
     */
    List<Long> append(List<FacilityLog.Entry> entries) {
        List<Long> indexes = new ArrayList<>(entries.size());
        for (long index : log.append(entries)) {
            indexes.add(index);
        }
        return indexes;
    }

    /**
     * Stores the AuditEvents of a batch or transaction Bundle given as a JSON tree, all or nothing,
     * without HAPI FHIR's parser: the batch API's hot path. Returns the leaf index of each.
     */
    List<Long> storeBundleJson(Object bundleJson) {
        List<Object> resources = AuditEventJson.bundleEntries(bundleJson);
        Instant received = clock.instant();
        List<FacilityLog.Entry> entries = new ArrayList<>(resources.size());
        for (int i = 0; i < resources.size(); i++) {
            entries.add(prepareJson(resources.get(i), received, Arrival.FHIR, "entry " + i + ": "));
        }
        return append(entries);
    }

    /** As {@link #prepare}, from the JSON tree alone. */
    @SuppressWarnings("unchecked")
    FacilityLog.Entry prepareJson(Object json, Instant received, Arrival arrival, String where) {
        AuditEventJson.Fields f = AuditEventJson.read(json, where);
        Map<String, Object> resource = new TreeMap<>((Map<String, Object>) json);
        resource.remove("id");
        byte[] canonical = canonicalLeaf(resource, received, arrival, where);
        return new FacilityLog.Entry(
                received,
                KIND,
                f.type(),
                f.outcome(),
                null,
                f.agentId(),
                null,
                f.networkAddress(),
                f.patient(),
                canonical,
                f.recorded(),
                arrival.sourceSystem() != null ? arrival.sourceSystem() : f.sourceSystem(),
                arrival.sourceEventId(),
                skewed(f.recorded(), received, arrival.live()));
    }

    private static byte[] canonicalLeaf(Map<String, Object> resource, Instant received, Arrival arrival, String where) {
        Map<String, Object> leaf = new TreeMap<>();
        leaf.put("kind", KIND);
        leaf.put("received", received.toString());
        leaf.put("resource", resource);
        if (!arrival.channel().equals(Arrival.FHIR.channel())) {
            Map<String, Object> ingest = new TreeMap<>();
            ingest.put("channel", arrival.channel());
            if (arrival.sourceSystem() != null) {
                ingest.put("sourceSystem", arrival.sourceSystem());
            }
            if (arrival.sourceEventId() != null) {
                ingest.put("sourceEventId", arrival.sourceEventId());
            }
            leaf.put("ingest", ingest);
        }
        byte[] canonical = Json.canonicalize(leaf);
        if (canonical.length > MAX_EVENT_BYTES) {
            throw new Rejected(where + "the AuditEvent is " + canonical.length + " bytes; at most " + MAX_EVENT_BYTES);
        }
        return canonical;
    }

    /** A request body as a JSON tree, for the paths that read it without HAPI FHIR. */
    static Object parseJson(byte[] body) {
        if (body.length == 0) {
            throw new Rejected("The request has no body");
        }
        try {
            return Json.parse(body);
        } catch (JsonParseException e) {
            throw new Rejected("The body is not JSON: " + e.getMessage());
        }
    }

    /** The time of this server, which every channel stamps as the time received. */
    Instant now() {
        return clock.instant();
    }

    /** One line or message that is a single AuditEvent in JSON, parsed and checked. */
    static Parsed parseOne(byte[] json) {
        Parsed parsed = parse(json);
        if (!(parsed.resource() instanceof AuditEvent)) {
            throw new Rejected(
                    "Expected an AuditEvent, got a " + parsed.resource().fhirType());
        }
        return parsed;
    }

    /** The AuditEvents of a Bundle (batch or transaction); refuses any other entry. */
    static List<AuditEvent> eventsOf(Bundle bundle) {
        List<AuditEvent> out = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Resource r = bundle.getEntry().get(i).getResource();
            if (!(r instanceof AuditEvent e)) {
                throw new Rejected("Bundle entry " + i + " is " + (r == null ? "empty" : "a " + r.fhirType())
                        + "; only AuditEvent entries are accepted");
            }
            out.add(e);
        }
        if (out.isEmpty()) {
            throw new Rejected("The Bundle has no entries");
        }
        return out;
    }

    /**
     * Checks one event and turns it into a leaf: the single place where every channel's events become
     * the canonical event. {@code where} prefixes error messages (a Bundle entry, a line).
     */
    @SuppressWarnings("unchecked")
    FacilityLog.Entry prepare(AuditEvent e, Object json, Instant received, Arrival arrival, String where) {
        if (!e.hasRecorded()) {
            throw new Rejected(where + "AuditEvent.recorded is required");
        }
        if (!e.hasType() || !e.getType().hasCode()) {
            throw new Rejected(where + "AuditEvent.type with a code is required");
        }
        if (!e.hasAgent()) {
            throw new Rejected(where + "AuditEvent.agent is required: who accessed");
        }
        if (!e.hasSource()) {
            throw new Rejected(where + "AuditEvent.source is required: which system reports");
        }
        if (!(json instanceof Map<?, ?> resourceJson)) {
            throw new Rejected(where + "the AuditEvent is not a JSON object");
        }
        Map<String, Object> resource = new TreeMap<>((Map<String, Object>) resourceJson);
        resource.remove("id");
        byte[] canonical = canonicalLeaf(resource, received, arrival, where);
        Instant sourceAt = e.getRecorded().toInstant();
        AuditEvent.AuditEventAgentComponent who = requestor(e);
        String outcome = e.hasOutcome() ? e.getOutcome().toCode() : "0";
        return new FacilityLog.Entry(
                received,
                KIND,
                (e.getType().getCode()
                        + (e.hasSubtype() ? "/" + e.getSubtypeFirstRep().getCode() : "")),
                "0".equals(outcome) ? "SUCCESS" : "FAILURE",
                null,
                agentId(who),
                null,
                who.hasNetwork() ? who.getNetwork().getAddress() : null,
                patientOf(e),
                canonical,
                sourceAt,
                arrival.sourceSystem() != null ? arrival.sourceSystem() : sourceSystemOf(e),
                arrival.sourceEventId(),
                skewed(sourceAt, received, arrival.live()));
    }

    /**
     * Whether the reporting clock disagrees with ours: for a live report, by more than the threshold
     * either way; for an import of past events, only when the event claims to lie in our future.
     */
    boolean skewed(Instant source, Instant received, boolean live) {
        java.time.Duration skew = java.time.Duration.between(source, received);
        java.time.Duration limit = settings.skewThreshold();
        return live ? skew.abs().compareTo(limit) > 0 : skew.negated().compareTo(limit) > 0;
    }

    static @Nullable String sourceSystemOf(AuditEvent e) {
        var observer = e.getSource().getObserver();
        if (observer.hasIdentifier() && observer.getIdentifier().hasValue()) {
            return observer.getIdentifier().getValue();
        }
        if (observer.hasDisplay()) {
            return observer.getDisplay();
        }
        return e.getSource().hasSite() ? e.getSource().getSite() : null;
    }

    static AuditEvent.AuditEventAgentComponent requestor(AuditEvent e) {
        for (AuditEvent.AuditEventAgentComponent a : e.getAgent()) {
            if (a.getRequestor()) {
                return a;
            }
        }
        return e.getAgentFirstRep();
    }

    static @Nullable String agentId(AuditEvent.AuditEventAgentComponent a) {
        Reference who = a.getWho();
        if (who.hasIdentifier() && who.getIdentifier().hasValue()) {
            return who.getIdentifier().getValue();
        }
        if (who.hasReference()) {
            return who.getReference().replaceFirst("^Practitioner/", "");
        }
        return who.hasDisplay() ? who.getDisplay() : null;
    }

    static @Nullable String patientOf(AuditEvent e) {
        for (AuditEvent.AuditEventEntityComponent entity : e.getEntity()) {
            Reference what = entity.getWhat();
            if (what.hasReference() && what.getReference().startsWith("Patient/")) {
                return what.getReference().substring("Patient/".length());
            }
            if (what.hasIdentifier()
                    && entity.hasType()
                    && "1".equals(entity.getType().getCode())) {
                return what.getIdentifier().getValue();
            }
        }
        return null;
    }

    /** A search by patient, user and time, newest first. */
    record Search(
            @Nullable String patient,
            @Nullable String agent,
            @Nullable Instant from,
            @Nullable Instant to,
            int count) {}

    record Found(long index, Instant received, AuditEvent event) {}

    List<Found> search(Search q) {
        StringBuilder sql =
                new StringBuilder("SELECT leaf_index, recorded_at, body FROM audit_event WHERE kind = ? AND log_id = ?"
                        // Expired events have no resource left to return.
                        + " AND body IS NOT NULL");
        List<Object> params = new ArrayList<>(List.of(KIND, log.id()));
        if (q.patient() != null) {
            sql.append(" AND patient_id = ?");
            params.add(q.patient());
        }
        if (q.agent() != null) {
            sql.append(" AND login_id = ?");
            params.add(q.agent());
        }
        if (q.from() != null) {
            sql.append(" AND recorded_at >= ?");
            params.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND recorded_at < ?");
            params.add(Timestamp.from(q.to()));
        }
        sql.append(" ORDER BY recorded_at DESC, leaf_index DESC LIMIT ?");
        params.add(q.count());
        return jdbc.sql(sql.toString())
                .params(params)
                .query((rs, n) -> new Found(
                        rs.getLong(1), rs.getTimestamp(2).toInstant(), resourceOf(rs.getString(3), rs.getLong(1))))
                .list();
    }

    @SuppressWarnings("unchecked")
    private static AuditEvent resourceOf(String body, long index) {
        try {
            Map<String, Object> leaf = (Map<String, Object>) Json.parse(body);
            String json = new String(Json.canonicalize(leaf.get("resource")), StandardCharsets.UTF_8);
            AuditEvent e = parser().parseResource(AuditEvent.class, json);
            e.setId(String.valueOf(index));
            return e;
        } catch (JsonParseException e) {
            throw new IllegalStateException("Stored event " + index + " is not JSON", e);
        }
    }

    static String encode(Resource r) {
        return FHIR.newJsonParser().setPrettyPrint(false).encodeResourceToString(r);
    }
}
