package jp.mamori.backup.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A parsed command line: options (repeatable) and positional arguments. */
final class Args {

    /** Options that take no value. */
    private static final Set<String> FLAGS = Set.of(
            "--json",
            "--quiet",
            "--stdin",
            "--read-data",
            "--verify",
            "--dry-run",
            "--prune",
            "--keep",
            "--append",
            "--admin",
            "--help",
            "-h");

    final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> options = new HashMap<>();

    static Args parse(List<String> argv) {
        Args a = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String s = argv.get(i);
            if (s.equals("--")) {
                a.positional.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (s.startsWith("-") && s.length() > 1) {
                String name = s;
                String value = null;
                int eq = s.indexOf('=');
                if (s.startsWith("--") && eq > 0) {
                    name = s.substring(0, eq);
                    value = s.substring(eq + 1);
                }
                if (name.equals("-r")) {
                    name = "--repo";
                }
                if (FLAGS.contains(name)) {
                    a.options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= argv.size()) {
                        throw new UsageException("option " + name + " needs a value");
                    }
                    value = argv.get(++i);
                }
                a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    @Nullable
    String get(String name) {
        List<String> v = options.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    String get(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    int integer(String name, int fallback) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option " + name + " wants a whole number, not \"" + v + "\"");
        }
    }

    /** Refuses options the command does not know, so a typo is not silently ignored. */
    void allow(String command, String... names) {
        Set<String> known = new java.util.HashSet<>(List.of(names));
        known.addAll(List.of("--repo", "--password-file", "--json", "--quiet", "--help", "-h"));
        for (String o : options.keySet()) {
            if (!known.contains(o)) {
                throw new UsageException(command + " does not know the option " + o);
            }
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
