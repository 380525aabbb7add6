package jp.mamori.server.governance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every form of the checklist Mamori knows, read once from {@code governance/checklist.yaml}. The
 * file is checked as it is read: a missing field or a repeated item number stops the application
 * with the place of the mistake, rather than showing an incomplete sheet to an inspector.
 */
@Component
class ChecklistCatalog {

    static final String RESOURCE = "/governance/checklist.yaml";
    private final List<Checklist> checklists;

    ChecklistCatalog() {
        try (InputStream in = ChecklistCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The checklist data " + RESOURCE + " is missing from the application");
            }
            this.checklists = parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Checklist> all() {
        return checklists;
    }

    Optional<Checklist> find(int fiscalYear, Checklist.Form form) {
        return checklists.stream()
                .filter(c -> c.fiscalYear() == fiscalYear && c.form() == form)
                .findFirst();
    }

    /** The newest fiscal year for which the form exists. */
    Checklist latest(Checklist.Form form) {
        return checklists.stream()
                .filter(c -> c.form() == form)
                .max(Comparator.comparingInt(Checklist::fiscalYear))
                .orElseThrow(() -> new IllegalStateException("No checklist of the form " + form));
    }

    @SuppressWarnings("unchecked")
    static List<Checklist> parse(InputStream in) {
        LoaderOptions options = new LoaderOptions();
        // the items of a year are shared between forms through one anchor
        options.setMaxAliasesForCollections(10);
        Map<String, Object> root = new Yaml(new SafeConstructor(options)).load(in);
        List<Checklist> out = new ArrayList<>();
        for (Map<String, Object> year : (List<Map<String, Object>>) required(root, "years", "the file")) {
            int fy = (Integer) required(year, "fiscalYear", "a year");
            String label = (String) required(year, "label", "year " + fy);
            for (Map<String, Object> f : (List<Map<String, Object>>) required(year, "forms", "year " + fy)) {
                String where = "year " + fy + ", form " + f.get("form");
                Checklist.Form form = Checklist.Form.valueOf((String) required(f, "form", where));
                String title = (String) required(f, "title", where);
                Map<String, Object> gate = (Map<String, Object>) f.get("gate");
                Checklist.@Nullable Item gateItem = gate == null ? null : item(gate, where + ", gate", true);
                List<Checklist.Item> items = new ArrayList<>();
                Set<String> numbers = new HashSet<>();
                for (Map<String, Object> i : (List<Map<String, Object>>) required(f, "items", where)) {
                    Checklist.Item item = item(i, where, false);
                    if (!numbers.add(item.number())) {
                        throw new IllegalStateException(
                                "The checklist data repeats item " + item.number() + " in " + where);
                    }
                    items.add(item);
                }
                out.add(new Checklist(fy, label, form, title, gateItem, List.copyOf(items)));
            }
        }
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private static Checklist.Item item(Map<String, Object> m, String where, boolean gate) {
        String number = gate ? Checklist.GATE : String.valueOf(required(m, "number", where));
        String at = where + ", item " + number;
        List<Checklist.Target> targets = gate
                ? List.of(Checklist.Target.NONE)
                : ((List<String>) required(m, "targets", at))
                        .stream().map(Checklist.Target::valueOf).toList();
        if (targets.isEmpty()) {
            throw new IllegalStateException("The checklist data has no target column for " + at);
        }
        if (targets.size() > 1 && (targets.contains(Checklist.Target.ALL) || targets.contains(Checklist.Target.NONE))) {
            throw new IllegalStateException("ALL and NONE stand alone as targets, in " + at);
        }
        return new Checklist.Item(
                number,
                (String) required(m, "text", at),
                (String) required(m, "gloss", at),
                targets,
                (String) m.get("r6"),
                (Boolean) required(m, "verified", at),
                (String) required(m, "source", at));
    }

    private static Object required(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null || (v instanceof String s && s.isBlank())) {
            throw new IllegalStateException("The checklist data lacks '" + key + "' in " + where);
        }
        return v;
    }
}
