package jp.mamori.server.governance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.mamori.server.governance.NetworkConnections.Connection;
import jp.mamori.server.governance.NetworkConnections.Finding;
import jp.mamori.server.governance.NetworkConnections.Kind;
import jp.mamori.server.governance.NetworkConnections.Segment;
import jp.mamori.server.governance.NetworkConnections.Zone;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The network diagram (ネットワーク構成図) drawn from the registers as SVG: the institution's segments
 * grouped by zone with their devices inside, the parties outside (vendors' centres, the internet,
 * cloud services) in a column to the right, and every connection as a line labelled with its kind.
 * Remote-maintenance lines stand out with their approved windows; findings are red.
 *
 * <p>The layout is fixed arithmetic over the registers sorted by zone and name, so the same registers
 * always give the same picture, byte for byte.
 */
@Component
class NetworkDiagram {

    static final String NS = "http://www.w3.org/2000/svg";

    // Columns, left to right: labels of lines between segments, the zones with their segments,
    // labels of lines to the outside, the parties outside.
    static final int ZONE_X = 300;
    static final int ZONE_W = 460;
    static final int SEGMENT_X = ZONE_X + 20;
    static final int SEGMENT_W = ZONE_W - 40;
    static final int EXTERNAL_X = 1000;
    static final int EXTERNAL_W = 230;
    static final int WIDTH = EXTERNAL_X + EXTERNAL_W + 20;
    static final int TOP = 60;
    static final int ASSET_ROW = 16;
    /** Labels of lines fit between the segments and the parties outside. */
    static final int LABEL_WIDTH = 230;
    /** At most this many devices are listed in a segment's box; the rest are counted. */
    static final int ASSETS_SHOWN = 12;

    static final String LINE = "#4a5a6a";
    static final String REMOTE = "#7b3fc4";
    static final String FINDING = "#c62828";

    private final ConnectionRegister connections;
    private final AssetRegister assets;

    NetworkDiagram(ConnectionRegister connections, AssetRegister assets) {
        this.connections = connections;
        this.assets = assets;
    }

    String svg() {
        return draw(connections.segments(), connections.connections(), assets.all());
    }

    /** A box drawn, for the lines to find their ends. */
    private record Box(double x, double y, double w, double h) {}

    static String draw(List<Segment> segments, List<Connection> lines, List<AssetRegister.Asset> devices) {
        Map<Long, List<AssetRegister.Asset>> placed = new LinkedHashMap<>();
        List<AssetRegister.Asset> unplaced = new ArrayList<>();
        for (AssetRegister.Asset a : devices) {
            segmentOf(a, segments)
                    .ifPresentOrElse(
                            s -> placed.computeIfAbsent(s.id(), k -> new ArrayList<>())
                                    .add(a),
                            () -> unplaced.add(a));
        }
        Set<Long> remotelyReached = new HashSet<>();
        for (Connection c : lines) {
            if (c.kind() == Kind.REMOTE_MAINTENANCE) {
                c.assets().forEach(r -> remotelyReached.add(r.id()));
            }
        }

        Svg out = new Svg();
        // zones and segments, top to bottom
        Map<Long, Box> segmentBoxes = new HashMap<>();
        double y = TOP;
        for (Zone zone : Zone.values()) {
            List<Segment> inZone =
                    segments.stream().filter(s -> s.zone() == zone).toList();
            if (inZone.isEmpty()) {
                continue;
            }
            double zoneTop = y;
            StringBuilder inner = new StringBuilder();
            y += 30;
            for (Segment s : inZone) {
                List<AssetRegister.Asset> here = placed.getOrDefault(s.id(), List.of());
                double h = segmentHeight(here.size());
                Box box = new Box(SEGMENT_X, y, SEGMENT_W, h);
                segmentBoxes.put(s.id(), box);
                inner.append(segment(s, here, box, remotelyReached));
                y += h + 14;
            }
            y += 6;
            out.open("g", "class", "zone", "data-zone", zone.name());
            out.rect(ZONE_X, zoneTop, ZONE_W, y - zoneTop, 8, zoneFill(zone), "#b8c4ce", null);
            out.text(ZONE_X + 12, zoneTop + 20, zone.label(), "zone-label", 14, "#33414e", "start", true);
            out.raw(inner.toString());
            out.close("g");
            y += 16;
        }
        if (!unplaced.isEmpty()) {
            double h = segmentHeight(unplaced.size());
            out.open("g", "class", "unplaced");
            out.rect(ZONE_X, y, ZONE_W, h, 8, "#ffffff", "#8795a1", "6 4");
            out.text(ZONE_X + 12, y + 20, "区画未登録の機器", "zone-label", 14, "#33414e", "start", true);
            out.raw(assetList(unplaced, SEGMENT_X, y + 40, remotelyReached));
            out.close("g");
            y += h + 16;
        }

        // Parties outside, each level with the first segment that reaches it (in the order of the
        // segments), pushed down when the one above is in the way, so that lines run nearly level.
        Map<String, String> parties = new LinkedHashMap<>();
        Map<String, Double> wanted = new HashMap<>();
        for (Connection c : lines) {
            Box from = segmentBoxes.get(c.fromSegmentId());
            if (c.externalParty() != null && from != null) {
                String key = c.externalParty().toLowerCase(Locale.ROOT);
                parties.putIfAbsent(key, c.externalParty());
                wanted.merge(key, from.y(), Math::min);
            }
        }
        List<String> order = new ArrayList<>(parties.keySet());
        order.sort(java.util.Comparator.comparing(wanted::get));
        Map<String, Box> partyBoxes = new HashMap<>();
        double py = TOP;
        for (String key : order) {
            Box box = new Box(EXTERNAL_X, Math.max(py, wanted.get(key)), EXTERNAL_W, 48);
            partyBoxes.put(key, box);
            String name = parties.get(key);
            out.open("g", "class", "external", "data-name", name);
            out.rect(box.x(), box.y(), box.w(), box.h(), 24, "#fdf6e3", "#b08a2e", null);
            out.title(name);
            out.text(
                    box.x() + box.w() / 2,
                    box.y() + 29,
                    fit(name, box.w() - 20, 13),
                    null,
                    13,
                    "#4a3b12",
                    "middle",
                    true);
            out.close("g");
            py = box.y() + box.h() + 16;
        }

        // Where each line runs; lines from one segment leave it at different heights.
        record Route(Connection c, double x1, double y1, double x2, double y2, boolean outward, List<String> label) {}
        List<Route> routes = new ArrayList<>();
        Map<Long, Integer> leaving = new HashMap<>();
        for (Connection c : lines) {
            Box from = segmentBoxes.get(c.fromSegmentId());
            if (from == null) {
                continue;
            }
            int k = leaving.merge(c.fromSegmentId(), 1, Integer::sum) - 1;
            double y1 = from.y() + 18 + (k % 4) * 10;
            if (c.externalParty() != null) {
                Box to = partyBoxes.get(c.externalParty().toLowerCase(Locale.ROOT));
                routes.add(new Route(
                        c,
                        from.x() + from.w(),
                        y1,
                        to.x(),
                        to.y() + to.h() / 2,
                        true,
                        label(c, c.findings(), LABEL_WIDTH)));
            } else if (segmentBoxes.containsKey(c.toSegmentId())) {
                Box to = segmentBoxes.get(c.toSegmentId());
                routes.add(new Route(
                        c, SEGMENT_X, y1, SEGMENT_X, to.y() + 18, false, label(c, c.findings(), SEGMENT_X - 110)));
            }
        }

        // Labels sit in the two label columns, each as near its line's middle as the labels above allow.
        Map<Route, Double> labelTop = new HashMap<>();
        double[] columnBottom = {0, 0};
        List<Route> byHeight = new ArrayList<>(routes);
        byHeight.sort(java.util.Comparator.comparingDouble(r -> (r.y1() + r.y2()) / 2));
        for (Route r : byHeight) {
            int column = r.outward() ? 1 : 0;
            double height = 14 * r.label().size();
            double top = Math.max((r.y1() + r.y2()) / 2 - height / 2, columnBottom[column]);
            labelTop.put(r, top);
            columnBottom[column] = top + height + 6;
        }

        int between = 0;
        for (Route r : routes) {
            Connection c = r.c();
            List<Finding> findings = c.findings();
            boolean remote = c.kind() == Kind.REMOTE_MAINTENANCE;
            String colour = !findings.isEmpty() ? FINDING : remote ? REMOTE : LINE;
            double width = remote ? 3 : 1.6;
            String dash = c.alwaysOn() ? null : "8 4";
            out.open(
                    "g",
                    "class",
                    "connection" + (findings.isEmpty() ? "" : " finding") + (remote ? " remote" : ""),
                    "data-kind",
                    c.kind().name(),
                    "data-name",
                    c.name(),
                    "data-findings",
                    String.join(" ", findings.stream().map(Enum::name).toList()));
            out.title(c.name() + " (" + c.kind().label() + ")"
                    + (c.windows().isEmpty() ? "" : " 承認: " + c.windowsShown().replace("\n", "、")));
            double top = labelTop.get(r) + 10;
            if (r.outward()) {
                out.line(r.x1(), r.y1(), r.x2(), r.y2(), colour, width, dash);
                out.lines((r.x1() + r.x2()) / 2, top, r.label(), colour, "middle");
            } else {
                double bend = SEGMENT_X - 30 - 12 * (between++ % 6);
                out.path(
                        "M" + n(r.x1()) + "," + n(r.y1()) + " C" + n(bend) + "," + n(r.y1()) + " " + n(bend) + ","
                                + n(r.y2()) + " " + n(r.x2()) + "," + n(r.y2()),
                        colour,
                        width,
                        dash);
                out.lines(SEGMENT_X - 100, top, r.label(), colour, "end");
            }
            out.close("g");
        }
        py = Math.max(py, Math.max(columnBottom[0], columnBottom[1]));

        double height = Math.max(Math.max(y, py), TOP + 60) + 110;
        legend(out, height - 90);
        return out.document(WIDTH, height);
    }

    /** The device's segment: named in its network_segment column, else the narrowest block holding its IP. */
    static Optional<Segment> segmentOf(AssetRegister.Asset a, List<Segment> segments) {
        String named = a.show(AssetField.NETWORK_SEGMENT).strip();
        if (!named.isEmpty()) {
            for (Segment s : segments) {
                if (s.name().equalsIgnoreCase(named)) {
                    return Optional.of(s);
                }
            }
        }
        Optional<byte[]> ip = NetworkAddresses.address(a.show(AssetField.IP_ADDRESS));
        if (ip.isEmpty()) {
            return Optional.empty();
        }
        Segment best = null;
        int bestPrefix = -1;
        for (Segment s : segments) {
            if (s.cidr() == null) {
                continue;
            }
            try {
                NetworkAddresses.Block b = NetworkAddresses.block(s.cidr());
                if (b.contains(ip.get()) && b.prefix() > bestPrefix) {
                    best = s;
                    bestPrefix = b.prefix();
                }
            } catch (NetworkAddresses.NotAnAddress e) {
                // stored blocks were checked when entered
            }
        }
        return Optional.ofNullable(best);
    }

    private static double segmentHeight(int assets) {
        int rows = Math.min(assets, ASSETS_SHOWN + 1);
        return 44 + (rows + 1) / 2 * ASSET_ROW;
    }

    private static String segment(Segment s, List<AssetRegister.Asset> here, Box box, Set<Long> remotelyReached) {
        Svg g = new Svg();
        g.open("g", "class", "segment", "data-name", s.name());
        g.title(s.name() + (s.cidr() == null ? "" : " " + s.cidr()) + (s.purpose() == null ? "" : " — " + s.purpose()));
        g.rect(box.x(), box.y(), box.w(), box.h(), 4, "#ffffff", "#5b6b7a", null);
        String head =
                s.name() + (s.cidr() == null ? "" : "  " + s.cidr()) + (s.vlan() == null ? "" : "  VLAN " + s.vlan());
        g.text(box.x() + 10, box.y() + 20, fit(head, box.w() - 20, 13), "segment-label", 13, "#1f2a33", "start", true);
        if (s.purpose() != null) {
            g.text(box.x() + 10, box.y() + 36, fit(s.purpose(), box.w() - 20, 11), null, 11, "#5b6b7a", "start", false);
        }
        g.raw(assetList(here, box.x() + 10, box.y() + (s.purpose() == null ? 38 : 52), remotelyReached));
        g.close("g");
        return g.toString();
    }

    /** Devices in two columns; those a remote-maintenance line reaches in its colour. */
    private static String assetList(List<AssetRegister.Asset> list, double x, double y, Set<Long> remote) {
        Svg g = new Svg();
        double col = (SEGMENT_W - 20) / 2.0;
        int shown = Math.min(list.size(), ASSETS_SHOWN);
        for (int i = 0; i < shown; i++) {
            AssetRegister.Asset a = list.get(i);
            boolean reached = remote.contains(a.id());
            String ip = a.show(AssetField.IP_ADDRESS);
            String text = (reached ? "◆ " : "■ ") + a.name() + (ip.isEmpty() ? "" : " " + ip);
            g.open("g", "class", "asset" + (reached ? " remote" : ""), "data-name", a.name());
            g.text(
                    x + (i % 2) * col,
                    y + (i / 2) * ASSET_ROW,
                    fit(text, col - 8, 11),
                    null,
                    11,
                    reached ? REMOTE : "#33414e",
                    "start",
                    false);
            g.close("g");
        }
        if (list.size() > shown) {
            g.text(
                    x + (shown % 2) * col,
                    y + (shown / 2) * ASSET_ROW,
                    "ほか " + (list.size() - shown) + " 台",
                    "more",
                    11,
                    "#5b6b7a",
                    "start",
                    false);
        }
        return g.toString();
    }

    /** The line's label: kind and name; for a remote-maintenance line its vendor and approved windows; its findings. */
    private static List<String> label(Connection c, List<Finding> findings, double width) {
        List<String> out = new ArrayList<>();
        out.add(fit(c.kind().label() + ": " + c.name(), width, 11));
        if (c.kind() == Kind.REMOTE_MAINTENANCE) {
            if (c.vendorName() != null) {
                out.add(fit(c.vendorName(), width, 11));
            }
            List<MaintenanceWindow> w = c.windows();
            if (w.isEmpty()) {
                out.add(c.alwaysOn() ? "常時接続" : "承認時間帯なし");
            }
            for (int i = 0; i < Math.min(w.size(), 3); i++) {
                out.add(fit("承認: " + w.get(i).show(), width, 11));
            }
            if (w.size() > 3) {
                out.add("承認: ほか " + (w.size() - 3) + " 件");
            }
        }
        for (Finding f : findings) {
            out.add("⚠ " + f.label());
        }
        return out;
    }

    private static void legend(Svg out, double y) {
        out.open("g", "class", "legend");
        out.text(ZONE_X, y, "凡例", null, 12, "#33414e", "start", true);
        out.line(ZONE_X, y + 20, ZONE_X + 50, y + 20, LINE, 1.6, null);
        out.text(ZONE_X + 58, y + 24, "常時接続", null, 11, "#33414e", "start", false);
        out.line(ZONE_X + 140, y + 20, ZONE_X + 190, y + 20, LINE, 1.6, "8 4");
        out.text(ZONE_X + 198, y + 24, "都度接続", null, 11, "#33414e", "start", false);
        out.line(ZONE_X + 280, y + 20, ZONE_X + 330, y + 20, REMOTE, 3, null);
        out.text(ZONE_X + 338, y + 24, "リモート保守(承認時間帯つき)", null, 11, REMOTE, "start", false);
        out.line(ZONE_X + 540, y + 20, ZONE_X + 590, y + 20, FINDING, 1.6, null);
        out.text(ZONE_X + 598, y + 24, "指摘あり(接続元制限なし・常時接続のリモート保守)", null, 11, FINDING, "start", false);
        out.text(ZONE_X, y + 46, "◆ リモート保守で到達する機器  ■ その他の機器", null, 11, "#33414e", "start", false);
        out.close("g");
    }

    private static String zoneFill(Zone zone) {
        return switch (zone) {
            case EHR -> "#eaf3fb";
            case MEDICAL_DEVICE -> "#eef7ee";
            case OFFICE -> "#f4f1fa";
            case DMZ -> "#fff6e6";
            case INTERNET -> "#fbeeee";
            case OTHER -> "#f2f4f6";
        };
    }

    /**
     * The text cut to fit a width: CJK characters count a full em, others about six tenths. Cut text
     * ends with an ellipsis; the whole of it is in the element's title.
     */
    static String fit(String text, double width, double fontSize) {
        if (width(text, fontSize) <= width) {
            return text;
        }
        double used = fontSize; // room for the ellipsis
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            used += (cp < 0x2E80 ? 0.6 : 1.0) * fontSize;
            if (used > width) {
                break;
            }
            b.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
        return b.append('…').toString();
    }

    private static double width(String text, double fontSize) {
        return text.codePoints()
                .mapToDouble(cp -> (cp < 0x2E80 ? 0.6 : 1.0) * fontSize)
                .sum();
    }

    private static String n(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Just enough of an SVG writer: every text and attribute value goes through {@link #escape}. */
    private static final class Svg {
        private final StringBuilder b = new StringBuilder();

        void open(String name, String... attributes) {
            b.append('<').append(name);
            for (int i = 0; i < attributes.length; i += 2) {
                b.append(' ')
                        .append(attributes[i])
                        .append("=\"")
                        .append(escape(attributes[i + 1]))
                        .append('"');
            }
            b.append(">\n");
        }

        void close(String name) {
            b.append("</").append(name).append(">\n");
        }

        void raw(String svg) {
            b.append(svg);
        }

        void title(String text) {
            b.append("<title>").append(escape(text)).append("</title>\n");
        }

        void rect(double x, double y, double w, double h, double r, String fill, String stroke, @Nullable String dash) {
            b.append("<rect x=\"")
                    .append(n(x))
                    .append("\" y=\"")
                    .append(n(y))
                    .append("\" width=\"")
                    .append(n(w))
                    .append("\" height=\"")
                    .append(n(h))
                    .append("\" rx=\"")
                    .append(n(r))
                    .append("\" fill=\"")
                    .append(fill)
                    .append("\" stroke=\"")
                    .append(stroke)
                    .append('"');
            if (dash != null) {
                b.append(" stroke-dasharray=\"").append(dash).append('"');
            }
            b.append("/>\n");
        }

        void line(double x1, double y1, double x2, double y2, String colour, double width, @Nullable String dash) {
            b.append("<line x1=\"")
                    .append(n(x1))
                    .append("\" y1=\"")
                    .append(n(y1))
                    .append("\" x2=\"")
                    .append(n(x2))
                    .append("\" y2=\"")
                    .append(n(y2))
                    .append("\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"")
                    .append(n(width))
                    .append('"');
            if (dash != null) {
                b.append(" stroke-dasharray=\"").append(dash).append('"');
            }
            b.append("/>\n");
        }

        void path(String d, String colour, double width, @Nullable String dash) {
            b.append("<path d=\"")
                    .append(d)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"")
                    .append(n(width))
                    .append('"');
            if (dash != null) {
                b.append(" stroke-dasharray=\"").append(dash).append('"');
            }
            b.append("/>\n");
        }

        void text(
                double x,
                double y,
                String text,
                @Nullable String cssClass,
                double size,
                String fill,
                String anchor,
                boolean bold) {
            b.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append('"');
            if (cssClass != null) {
                b.append(" class=\"").append(cssClass).append('"');
            }
            b.append(" font-size=\"")
                    .append(n(size))
                    .append("\" fill=\"")
                    .append(fill)
                    .append("\" text-anchor=\"")
                    .append(anchor)
                    .append('"');
            if (bold) {
                b.append(" font-weight=\"bold\"");
            }
            b.append('>').append(escape(text)).append("</text>\n");
        }

        /** Lines of a label, one under the other, on a white ground so that they stay readable over lines. */
        void lines(double x, double y, List<String> lines, String fill, String anchor) {
            for (int i = 0; i < lines.size(); i++) {
                b.append("<text class=\"label\" x=\"")
                        .append(n(x))
                        .append("\" y=\"")
                        .append(n(y + 14 * i))
                        .append("\" font-size=\"11\" fill=\"")
                        .append(fill)
                        .append("\" text-anchor=\"")
                        .append(anchor)
                        .append("\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">")
                        .append(escape(lines.get(i)))
                        .append("</text>\n");
            }
        }

        String document(double width, double height) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<svg xmlns=\"" + NS + "\" version=\"1.1\" width=\"" + n(width) + "\" height=\"" + n(height)
                    + "\" viewBox=\"0 0 " + n(width) + " " + n(height) + "\" font-family=\"sans-serif\""
                    + " role=\"img\" aria-label=\"ネットワーク構成図\">\n"
                    + "<title>ネットワーク構成図</title>\n"
                    + "<text x=\"20\" y=\"32\" font-size=\"18\" font-weight=\"bold\" fill=\"#1f2a33\">ネットワーク構成図</text>\n"
                    + "<text x=\"" + n(EXTERNAL_X)
                    + "\" y=\"32\" font-size=\"13\" font-weight=\"bold\" fill=\"#4a3b12\">外部の接続先</text>\n"
                    + b + "</svg>\n";
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }

    /** XML text and attribute escaping; characters XML 1.0 cannot hold at all are dropped. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\n' -> out.append("&#10;");
                case '\t' -> out.append("&#9;");
                case '\r' -> out.append("&#13;");
                default -> {
                    if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
