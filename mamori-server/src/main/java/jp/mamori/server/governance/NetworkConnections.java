package jp.mamori.server.governance;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The vocabulary of the connections register (外部接続台帳): network segments (ネットワーク区画) in
 * their zones, and the connections between them and to the outside, with what makes a connection a
 * finding for checklist item 2-⑬ (接続元制限).
 */
final class NetworkConnections {

    private NetworkConnections() {}

    /** The zone (系) a segment belongs to, as hospital networks are usually divided. */
    enum Zone {
        EHR("電子カルテ系"),
        MEDICAL_DEVICE("医療機器系"),
        OFFICE("事務系"),
        DMZ("DMZ"),
        INTERNET("インターネット系"),
        OTHER("その他");

        final String label;

        Zone(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    enum Kind {
        VPN("VPN"),
        REMOTE_MAINTENANCE("リモート保守"),
        INTERNET_GATEWAY("インターネット接続"),
        INTER_SEGMENT("区画間接続"),
        CLOUD_SERVICE("クラウドサービス");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The lines through which someone outside reaches in: 2-⑬ looks at these first. */
        boolean remoteAccess() {
            return this == VPN || this == REMOTE_MAINTENANCE;
        }
    }

    /** What the register shows in red. Message keys are {@code connections.finding.<name>}. */
    enum Finding {
        /** No allowed sources, or a block that lets every address in (0.0.0.0/0). */
        NO_SOURCE_RESTRICTION("接続元制限なし"),
        /** A vendor's maintenance line that stays up instead of being opened for the work. */
        ALWAYS_ON_REMOTE("常時接続のリモート保守");

        final String label;

        Finding(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * A network segment (ネットワーク区画).
     *
     * @param cidr canonical block, e.g. {@code 10.10.0.0/16}
     */
    record Segment(
            long id,
            String name,
            @Nullable String cidr,
            @Nullable String purpose,
            @Nullable Integer vlan,
            Zone zone,
            @Nullable String notes,
            Instant updatedAt,
            String updatedByName) {}

    /** A device of the asset register that a connection reaches. */
    record AssetRef(long id, String name) {}

    /**
     * A connection (外部接続・回線).
     *
     * @param toSegment the segment it leads to, or null when it leads outside
     * @param externalParty who or what outside: a vendor's centre, the internet, a cloud service
     * @param vendorAccounts the vendor's sign-in names that use the line, matched by the access-log review
     * @param sources allowed sources in canonical form; empty means no restriction
     * @param alwaysOn 常時接続; otherwise opened on demand (都度接続)
     * @param reviewedOn when this connection was last checked against reality
     */
    record Connection(
            long id,
            String name,
            Kind kind,
            long fromSegmentId,
            String fromSegment,
            @Nullable Long toSegmentId,
            @Nullable String toSegment,
            @Nullable String externalParty,
            @Nullable String vendorName,
            List<String> vendorAccounts,
            @Nullable String method,
            List<String> sources,
            @Nullable String authentication,
            boolean alwaysOn,
            List<AssetRef> assets,
            List<MaintenanceWindow> windows,
            @Nullable String owner,
            @Nullable String notes,
            @Nullable LocalDate reviewedOn,
            Instant updatedAt,
            String updatedByName) {

        public List<Finding> findings() {
            List<Finding> out = new ArrayList<>();
            if (sources.isEmpty() || sources.stream().anyMatch(NetworkConnections::everything)) {
                out.add(Finding.NO_SOURCE_RESTRICTION);
            }
            if (kind == Kind.REMOTE_MAINTENANCE && alwaysOn) {
                out.add(Finding.ALWAYS_ON_REMOTE);
            }
            return out;
        }

        /** Where it leads: the segment's name or the party outside. */
        public String destination() {
            if (toSegment != null) {
                return externalParty == null ? toSegment : toSegment + " / " + externalParty;
            }
            return externalParty == null ? "" : externalParty;
        }

        public String windowsShown() {
            return String.join(
                    "\n", windows.stream().map(MaintenanceWindow::show).toList());
        }
    }

    private static boolean everything(String source) {
        return source.endsWith("/0");
    }

    /** A register sign-off (点検). */
    record Review(LocalDate reviewedOn, String reviewedByName, @Nullable String note, int connectionCount) {}

    record Change(
            long id, String action, String changedByName, Instant changedAt, java.util.Map<String, Object> snapshot) {}
}
