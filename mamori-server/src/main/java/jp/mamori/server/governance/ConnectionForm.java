package jp.mamori.server.governance;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jp.mamori.server.governance.NetworkConnections.Kind;
import jp.mamori.server.governance.NetworkConnections.Zone;
import org.jspecify.annotations.Nullable;

/**
 * Reads the forms of the connections register. Every refused value is reported with its field, not
 * only the first; a form with any refused value stores nothing.
 */
final class ConnectionForm {

    private ConnectionForm() {}

    static final int MAX_TEXT = 2000;

    /**
     * What is wrong with a field. The message {@code messageKey} gets the field's label as {0} and
     * {@code args} from {1} on.
     */
    record Problem(String field, String messageKey, List<Object> args) {}

    static final class Refused extends RuntimeException {
        final List<Problem> problems;

        Refused(List<Problem> problems) {
            super("refused: " + problems.size() + " problems");
            this.problems = List.copyOf(problems);
        }

        Refused(String field, String key, Object... args) {
            this(List.of(new Problem(field, key, List.of(args))));
        }
    }

    /** A segment as entered, checked field by field. */
    record SegmentDraft(
            String name,
            @Nullable String cidr,
            @Nullable String purpose,
            @Nullable Integer vlan,
            Zone zone,
            @Nullable String notes) {}

    /**
     * A connection as entered. Segment and asset references are still unresolved: the register
     * checks them against what is stored.
     */
    record ConnectionDraft(
            String name,
            Kind kind,
            @Nullable Long fromSegmentId,
            @Nullable Long toSegmentId,
            @Nullable String externalParty,
            @Nullable String vendorName,
            List<String> vendorAccounts,
            @Nullable String method,
            List<String> sources,
            @Nullable String authentication,
            boolean alwaysOn,
            List<String> assetNames,
            List<MaintenanceWindow> windows,
            @Nullable String owner,
            @Nullable String notes,
            @Nullable LocalDate reviewedOn) {}

    static SegmentDraft segment(Map<String, String> params) {
        List<Problem> problems = new ArrayList<>();
        String name = required(params, "name", problems);
        String cidr = text(params, "cidr", problems);
        if (cidr != null) {
            try {
                cidr = NetworkAddresses.block(cidr).canonical();
            } catch (NetworkAddresses.NotAnAddress e) {
                problems.add(addressProblem("cidr", cidr, e));
            }
        }
        Integer vlan = null;
        String v = text(params, "vlan", problems);
        if (v != null) {
            try {
                vlan = Integer.valueOf(v);
            } catch (NumberFormatException e) {
                vlan = -1;
            }
            if (vlan < 1 || vlan > 4094) {
                problems.add(new Problem("vlan", "connections.error.vlan", List.of(v)));
                vlan = null;
            }
        }
        Zone zone = choice(Zone.class, params, "zone", problems);
        String purpose = text(params, "purpose", problems);
        String notes = text(params, "notes", problems);
        if (!problems.isEmpty() || zone == null) {
            throw new Refused(problems);
        }
        return new SegmentDraft(name, cidr, purpose, vlan, zone, notes);
    }

    static ConnectionDraft connection(Map<String, String> params, LocalDate today) {
        List<Problem> problems = new ArrayList<>();
        String name = required(params, "name", problems);
        Kind kind = choice(Kind.class, params, "kind", problems);
        Long from = id(params, "fromSegment", problems);
        if (from == null && !problems.stream().anyMatch(p -> p.field().equals("fromSegment"))) {
            problems.add(new Problem("fromSegment", "connections.error.required", List.of()));
        }
        Long to = id(params, "toSegment", problems);
        String external = text(params, "externalParty", problems);
        if (to == null && external == null) {
            problems.add(new Problem("toSegment", "connections.error.destination", List.of()));
        }
        if (kind == Kind.INTER_SEGMENT && to == null && external != null) {
            problems.add(new Problem("toSegment", "connections.error.interSegment", List.of()));
        }
        if (from != null && from.equals(to)) {
            problems.add(new Problem("toSegment", "connections.error.sameSegment", List.of()));
        }
        List<String> sources = new ArrayList<>();
        for (String s : items(params.get("sources"))) {
            try {
                String canonical = NetworkAddresses.addressOrBlock(s).canonical();
                if (!sources.contains(canonical)) {
                    sources.add(canonical);
                }
            } catch (NetworkAddresses.NotAnAddress e) {
                problems.add(addressProblem("sources", s, e));
            }
        }
        List<String> accounts = new ArrayList<>();
        for (String a : items(params.get("vendorAccounts"))) {
            if (!a.matches("[\\p{L}\\p{N}._@+-]{1,100}")) {
                problems.add(new Problem("vendorAccounts", "connections.error.account", List.of(a)));
            } else if (!accounts.contains(a.toLowerCase(Locale.ROOT))) {
                accounts.add(a.toLowerCase(Locale.ROOT));
            }
        }
        String availability = params.getOrDefault("availability", "ON_DEMAND").strip();
        boolean alwaysOn = availability.equals("ALWAYS_ON");
        if (!alwaysOn && !availability.equals("ON_DEMAND")) {
            problems.add(new Problem("availability", "connections.error.choice", List.of(availability)));
        }
        List<MaintenanceWindow.Problem> windowProblems = new ArrayList<>();
        List<MaintenanceWindow> windows = MaintenanceWindow.parseAll(params.get("windows"), windowProblems);
        for (MaintenanceWindow.Problem p : windowProblems) {
            problems.add(new Problem("windows", p.messageKey(), List.of(p.line(), p.text())));
        }
        LocalDate reviewedOn = null;
        String r = text(params, "reviewedOn", problems);
        if (r != null) {
            try {
                reviewedOn = LocalDate.parse(r);
                if (reviewedOn.isAfter(today)) {
                    problems.add(new Problem("reviewedOn", "connections.error.future", List.of(r)));
                }
            } catch (DateTimeParseException e) {
                problems.add(new Problem("reviewedOn", "connections.error.date", List.of(r)));
            }
        }
        Set<String> assets = new LinkedHashSet<>(items(params.get("assets")));
        String vendorName = text(params, "vendorName", problems);
        String method = text(params, "method", problems);
        String authentication = text(params, "authentication", problems);
        String owner = text(params, "owner", problems);
        String notes = text(params, "notes", problems);
        if (!problems.isEmpty() || kind == null) {
            throw new Refused(problems);
        }
        return new ConnectionDraft(
                name,
                kind,
                from,
                to,
                external,
                vendorName,
                accounts,
                method,
                sources,
                authentication,
                alwaysOn,
                List.copyOf(assets),
                windows,
                owner,
                notes,
                reviewedOn);
    }

    /** Items of a list field: separated by line breaks, commas (also 、 and ,) or semicolons. */
    static List<String> items(@Nullable String text) {
        if (text == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : text.split("[\\r\\n,、,;]+")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static Problem addressProblem(String field, String value, NetworkAddresses.NotAnAddress e) {
        return switch (e.flaw) {
            case HOST_BITS_SET -> new Problem(
                    field, "connections.error.address.hostBits", List.of(value, String.valueOf(e.suggestion)));
            case BAD_PREFIX -> new Problem(field, "connections.error.address.prefix", List.of(value));
            case PREFIX_REQUIRED -> new Problem(field, "connections.error.address.prefixRequired", List.of(value));
            case NOT_AN_ADDRESS -> new Problem(field, "connections.error.address", List.of(value));
        };
    }

    private static String required(Map<String, String> params, String field, List<Problem> problems) {
        String v = text(params, field, problems);
        if (v == null) {
            problems.add(new Problem(field, "connections.error.required", List.of()));
            return "";
        }
        return v;
    }

    private static @Nullable String text(Map<String, String> params, String field, List<Problem> problems) {
        String v = params.get(field);
        if (v == null || v.isBlank()) {
            return null;
        }
        v = v.strip();
        if (v.length() > MAX_TEXT) {
            problems.add(new Problem(field, "connections.error.tooLong", List.of(MAX_TEXT)));
        }
        return v;
    }

    private static @Nullable Long id(Map<String, String> params, String field, List<Problem> problems) {
        String v = params.get(field);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(v.strip());
        } catch (NumberFormatException e) {
            problems.add(new Problem(field, "connections.error.noSuchSegment", List.of(v)));
            return null;
        }
    }

    private static <E extends Enum<E>> @Nullable E choice(
            Class<E> type, Map<String, String> params, String field, List<Problem> problems) {
        String v = params.get(field);
        if (v == null || v.isBlank()) {
            problems.add(new Problem(field, "connections.error.required", List.of()));
            return null;
        }
        try {
            return Enum.valueOf(type, v.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(field, "connections.error.choice", List.of(v)));
            return null;
        }
    }
}
