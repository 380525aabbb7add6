package jp.mamori.server.governance;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The vendors' part of the 連絡体制図 (contact chart for incidents): for every system, whom to call at
 * the vendor that supplies it — the contacts marked 緊急連絡先 — and whether they answer around the
 * clock. A system whose vendor has no emergency contact is listed with the gap, since that is what
 * an inspector asks about. Printed as a page or exported as CSV.
 */
@Component
class ContactChart {

    /** Under this key are the vendors that name no system. */
    static final String NO_SYSTEM = "";

    /** One line of the chart: a vendor's emergency contact for a system, or null where there is none. */
    record Line(long vendorId, String vendorName, VendorRegister.@Nullable Contact contact) {}

    /** The lines of one system. */
    record Group(String system, List<Line> lines) {
        public boolean named() {
            return !system.isEmpty();
        }
    }

    private final VendorRegister register;

    ContactChart(VendorRegister register) {
        this.register = register;
    }

    /** Systems in their natural order, the vendors that name no system last. */
    List<Group> groups() {
        Map<String, List<Line>> bySystem = new TreeMap<>();
        List<Line> unnamed = new ArrayList<>();
        for (VendorRegister.Vendor v : register.all()) {
            List<Line> lines = new ArrayList<>();
            for (VendorRegister.Contact c : v.emergencyContacts()) {
                lines.add(new Line(v.id(), v.name(), c));
            }
            if (lines.isEmpty()) {
                lines.add(new Line(v.id(), v.name(), null));
            }
            if (v.systems().isEmpty()) {
                unnamed.addAll(lines);
            }
            for (String system : v.systems()) {
                bySystem.computeIfAbsent(system, s -> new ArrayList<>()).addAll(lines);
            }
        }
        Map<String, List<Line>> ordered = new LinkedHashMap<>(bySystem);
        if (!unnamed.isEmpty()) {
            ordered.put(NO_SYSTEM, unnamed);
        }
        return ordered.entrySet().stream()
                .map(e -> new Group(e.getKey(), List.copyOf(e.getValue())))
                .toList();
    }

    /**
     * The chart as CSV, one line per contact; UTF-8 gets a BOM so that spreadsheet programs read it
     * right. The header and the yes/no words are Japanese, as the printed chart is.
     */
    byte[] csv(Charset charset, String noSystem, String missing) {
        StringBuilder b = new StringBuilder();
        b.append(Csv.line(List.of("システム", "事業者", "氏名", "役割・部署", "電話番号", "メールアドレス", "24時間対応")));
        for (Group g : groups()) {
            for (Line l : g.lines()) {
                var c = l.contact();
                b.append(Csv.line(List.of(
                        safe(g.named() ? g.system() : noSystem),
                        safe(l.vendorName()),
                        c == null ? missing : safe(c.name()),
                        c == null || c.role() == null ? "" : safe(c.role()),
                        c == null || c.phone() == null ? "" : c.phone(),
                        c == null || c.email() == null ? "" : c.email(),
                        c == null ? "" : c.aroundTheClock() ? "はい" : "いいえ")));
            }
        }
        byte[] body = b.toString().getBytes(charset);
        if (!charset.equals(StandardCharsets.UTF_8)) {
            return body;
        }
        byte[] out = new byte[body.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(body, 0, out, 3, body.length);
        return out;
    }

    /** A cell a spreadsheet would run as a formula is kept as text. */
    private static String safe(String text) {
        return text.startsWith("=") || text.startsWith("@") ? "'" + text : text;
    }
}
