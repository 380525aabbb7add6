package jp.mamori.backup.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jp.mamori.backup.Backends;
import jp.mamori.backup.engine.BackupRun;
import jp.mamori.backup.engine.Check;
import jp.mamori.backup.engine.Diff;
import jp.mamori.backup.engine.Drill;
import jp.mamori.backup.engine.Forget;
import jp.mamori.backup.engine.Generations;
import jp.mamori.backup.engine.Keys;
import jp.mamori.backup.engine.Progress;
import jp.mamori.backup.engine.Prune;
import jp.mamori.backup.engine.Restore;
import jp.mamori.backup.engine.Stats;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.Json;
import jp.mamori.backup.repository.KeyFile;
import jp.mamori.backup.repository.Repository;
import jp.mamori.backup.snapshot.Snapshot;

/**
 * The {@code mamori-backup} command line. Its habits follow restic's, which operators know:
 * {@code -r/--repo}, the passphrase from {@code MAMORI_BACKUP_PASSWORD} or {@code --password-file},
 * {@code restore GENERATION --target DIR}, {@code latest}. Exit codes: 0 done; 1 failed (or check
 * found damage); 2 wrong usage; 3 backup done but some files could not be read; 4 backup done but the
 * ransomware guard marked the generation suspect.
 */
public final class Main {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int INCOMPLETE = 3;
    public static final int SUSPECT = 4;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final java.io.InputStream stdin;

    public Main(PrintStream out, PrintStream err, Map<String, String> env, java.io.InputStream stdin) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(new Main(out, err, System.getenv(), System.in).run(List.of(args)));
    }

    public int run(List<String> argv) {
        if (argv.isEmpty()
                || argv.get(0).equals("--help")
                || argv.get(0).equals("-h")
                || argv.get(0).equals("help")) {
            out.print(USAGE_TEXT);
            return argv.isEmpty() ? USAGE : OK;
        }
        String command = argv.get(0);
        if (command.equals("vault")) {
            return jp.mamori.backup.vault.VaultCommand.run(argv.subList(1, argv.size()), out, err);
        }
        try {
            Args a = Args.parse(argv.subList(1, argv.size()));
            return switch (command) {
                case "init" -> init(a);
                case "backup" -> backup(a);
                case "snapshots" -> snapshots(a);
                case "restore" -> restore(a);
                case "diff" -> diff(a);
                case "check" -> check(a);
                case "forget" -> forget(a);
                case "prune" -> prune(a);
                case "key" -> key(a);
                case "stats" -> stats(a);
                case "drill" -> drill(a);
                case "drills" -> drills(a);
                default -> throw new Args.UsageException(
                        "unknown command \"" + command + "\"; see mamori-backup --help");
            };
        } catch (Args.UsageException e) {
            err.println("mamori-backup: " + e.getMessage());
            return USAGE;
        } catch (IOException | RuntimeException e) {
            err.println("mamori-backup " + command + ": " + message(e));
            return FAILED;
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return m + ": no such file or folder";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return m + ": permission denied";
        }
        return m == null ? e.toString() : m;
    }

    // ---- commands ----

    private int init(Args a) throws IOException {
        a.allow("init", "--lock-days");
        Backend backend = backend(a);
        try (Repository repo =
                Repository.init(backend, passphrase(a, "MAMORI_BACKUP_PASSWORD"), a.integer("--lock-days", 0))) {
            report(
                    a,
                    Map.of("repository", backend.location(), "id", repo.config().id(), "key", repo.keyName()),
                    "created repository " + repo.config().id().substring(0, 8) + " at " + backend.location()
                            + "\nKeep the passphrase safe: without it the data cannot be restored.");
        }
        return OK;
    }

    private int backup(Args a) throws IOException {
        a.allow("backup", "--kind", "--tag", "--host", "--parent", "--stdin", "--stdin-filename");
        try (Repository repo = open(a)) {
            BackupRun.Options o = BackupRun.Options.of(
                            a.positional.stream().map(Path::of).toList(), a.get("--kind", "other"))
                    .withTags(a.all("--tag"))
                    .withParent(a.get("--parent"));
            if (a.get("--host") != null) {
                o = o.withHost(a.get("--host"));
            }
            if (a.flag("--stdin")) {
                if (!a.positional.isEmpty()) {
                    throw new Args.UsageException("backup --stdin takes no paths");
                }
                o = o.withStdin(stdin, a.get("--stdin-filename", "stdin"));
            } else if (a.positional.isEmpty()) {
                throw new Args.UsageException("backup needs one or more paths, or --stdin");
            }
            var result = new BackupRun(repo, progress(a, "backed up")).run(o);
            Snapshot s = result.snapshot();
            var st = s.stats();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("generation", result.name());
            json.put("snapshot", s);
            json.put("suspect", s.suspect());
            StringBuilder text = new StringBuilder();
            text.append(String.format(
                    Locale.ROOT,
                    "generation %s saved: %d files (%d new, %d changed, %d unchanged), %s, %s added in %.1f s",
                    result.name().substring(0, 8),
                    st.files(),
                    st.filesNew(),
                    st.filesChanged(),
                    st.filesUnchanged(),
                    Progress.size(st.bytes()),
                    Progress.size(st.bytesAdded()),
                    st.seconds()));
            for (String w : st.warnings()) {
                text.append("\nwarning: ").append(w);
            }
            if (s.suspect()) {
                text.append("\nSUSPECT: this generation looks like mass encryption — ")
                        .append(String.join("; ", s.guard().reasons()))
                        .append(".\nOlder clean generations are kept from expiring. Check the source system now.");
            }
            report(a, json, text.toString());
            if (s.suspect()) {
                return SUSPECT;
            }
            return st.warnings().isEmpty() ? OK : INCOMPLETE;
        }
    }

    private int snapshots(Args a) throws IOException {
        a.allow("snapshots");
        try (Repository repo = open(a)) {
            List<Generations.Named> all = new Generations(repo).list();
            List<Map<String, Object>> json = new ArrayList<>();
            StringBuilder text = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%-8s  %-19s  %-10s  %-8s  %10s  %s%n",
                    "ID",
                    "Time",
                    "Host",
                    "Kind",
                    "Size",
                    "Paths"));
            for (Generations.Named g : all) {
                Snapshot s = g.snapshot();
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("id", g.name());
                j.put("snapshot", s);
                json.add(j);
                text.append(String.format(
                        Locale.ROOT,
                        "%-8s  %-19s  %-10s  %-8s  %10s  %s%s%n",
                        g.shortName(),
                        local(s.time()),
                        s.host(),
                        s.kind(),
                        Progress.size(s.stats().bytes()),
                        String.join(" ", s.paths()),
                        s.suspect() ? "  SUSPECT" : ""));
            }
            text.append(all.size()).append(" generations");
            report(a, json, text.toString());
        }
        return OK;
    }

    private int restore(Args a) throws IOException {
        a.allow("restore", "--target", "--include", "--since", "--verify");
        if (a.positional.size() != 1 || a.get("--target") == null) {
            throw new Args.UsageException("usage: restore GENERATION --target DIR [--include PATH] [--since DATE|13m]");
        }
        try (Repository repo = open(a)) {
            Restore.Options o = Restore.Options.of(a.positional.get(0), Path.of(a.get("--target")))
                    .withInclude(a.get("--include"))
                    .withSince(since(a.get("--since")))
                    .withVerify(a.flag("--verify"));
            Restore.Result r = new Restore(repo, progress(a, "restored")).run(o);
            StringBuilder text = new StringBuilder(String.format(
                    Locale.ROOT,
                    "restored generation %s: %d files, %s in %.1f s to %s",
                    r.generation().substring(0, 8),
                    r.files(),
                    Progress.size(r.bytes()),
                    r.seconds(),
                    o.target()));
            for (String e : r.errors()) {
                text.append("\nerror: ").append(e);
            }
            report(a, r, text.toString());
            return r.ok() ? OK : FAILED;
        }
    }

    private int diff(Args a) throws IOException {
        a.allow("diff");
        if (a.positional.size() != 2) {
            throw new Args.UsageException("usage: diff GENERATION GENERATION");
        }
        try (Repository repo = open(a)) {
            List<Diff.Change> changes = new Diff(repo).between(a.positional.get(0), a.positional.get(1));
            StringBuilder text = new StringBuilder();
            int added = 0, removed = 0, modified = 0;
            for (Diff.Change c : changes) {
                text.append(c.kind()).append("    ").append(c.path()).append('\n');
                switch (c.kind()) {
                    case "+" -> added++;
                    case "-" -> removed++;
                    default -> modified++;
                }
            }
            text.append(String.format(Locale.ROOT, "%d added, %d removed, %d modified", added, removed, modified));
            report(a, changes, text.toString());
        }
        return OK;
    }

    private int check(Args a) throws IOException {
        a.allow("check", "--read-data", "--read-data-subset");
        try (Repository repo = open(a)) {
            double subset = 1;
            String spec = a.get("--read-data-subset");
            if (spec != null) {
                subset = subset(spec);
            }
            boolean read = a.flag("--read-data") || spec != null;
            Check.Result r = new Check(repo, progress(a, "read"))
                    .run(new Check.Options(read, subset, Runtime.getRuntime().availableProcessors()));
            StringBuilder text = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%d generations, %d packs, %d blobs checked%s",
                    r.generations(),
                    r.packs(),
                    r.blobs(),
                    read
                            ? String.format(
                                    Locale.ROOT,
                                    "; %d packs (%s) read back",
                                    r.packsRead(),
                                    Progress.size(r.bytesRead()))
                            : ""));
            for (String w : r.warnings()) {
                text.append("\nwarning: ").append(w);
            }
            for (String e : r.errors()) {
                text.append("\nerror: ").append(e);
            }
            text.append(
                    r.ok()
                            ? "\nno errors were found"
                            : "\nthe repository is damaged: " + r.errors().size() + " errors");
            report(a, r, text.toString());
            return r.ok() ? OK : FAILED;
        }
    }

    private int forget(Args a) throws IOException {
        a.allow(
                "forget",
                "--keep-last",
                "--keep-within",
                "--keep-daily",
                "--keep-weekly",
                "--keep-monthly",
                "--accept-suspect",
                "--dry-run",
                "--prune");
        Forget.Policy g = Forget.Policy.guideline();
        Forget.Policy policy = new Forget.Policy(
                a.get("--keep-last") == null ? null : a.integer("--keep-last", 0),
                a.get("--keep-within") == null ? g.keepWithin() : duration(a.get("--keep-within")),
                a.integer("--keep-daily", g.keepDaily()),
                a.integer("--keep-weekly", g.keepWeekly()),
                a.integer("--keep-monthly", g.keepMonthly()),
                new HashSet<>(a.all("--accept-suspect")));
        try (Repository repo = open(a)) {
            Forget f = new Forget(repo);
            List<Forget.Decision> plan =
                    a.flag("--dry-run") ? f.plan(policy, Instant.now()) : f.apply(policy, Instant.now());
            StringBuilder text = new StringBuilder();
            List<Map<String, Object>> json = new ArrayList<>();
            long removed = 0;
            for (Forget.Decision d : plan) {
                Snapshot s = d.generation().snapshot();
                text.append(String.format(
                        Locale.ROOT,
                        "%s %-8s  %s  %-8s  %s%n",
                        d.keep() ? "keep  " : "remove",
                        d.generation().shortName(),
                        local(s.time()),
                        s.kind(),
                        String.join(", ", d.reasons())));
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("id", d.generation().name());
                j.put("keep", d.keep());
                j.put("reasons", d.reasons());
                json.add(j);
                if (!d.keep()) removed++;
            }
            text.append(a.flag("--dry-run") ? "would remove " : "removed ")
                    .append(removed)
                    .append(" generations");
            report(a, json, text.toString());
            if (a.flag("--prune") && !a.flag("--dry-run")) {
                return prune(repo, a);
            }
        }
        return OK;
    }

    private int prune(Args a) throws IOException {
        a.allow("prune", "--max-unused");
        try (Repository repo = open(a)) {
            return prune(repo, a);
        }
    }

    private int prune(Repository repo, Args a) throws IOException {
        double maxUnused = a.get("--max-unused") == null ? 0.25 : subset(a.get("--max-unused"));
        Prune.Result r = new Prune(repo, maxUnused).run();
        StringBuilder text = new StringBuilder(String.format(
                Locale.ROOT,
                "prune: %d packs deleted, %d rewritten, %s freed",
                r.packsDeleted(),
                r.packsRewritten(),
                Progress.size(Math.max(0, r.bytesFreed()))));
        for (String s : r.refused()) {
            text.append("\nkept: ").append(s);
        }
        report(a, r, text.toString());
        return OK;
    }

    private int key(Args a) throws IOException {
        a.allow("key", "--append", "--admin", "--label", "--new-password-file");
        if (a.positional.isEmpty()) {
            throw new Args.UsageException(
                    "usage: key list | key add [--append|--admin] [--label TEXT] | key remove ID");
        }
        try (Repository repo = open(a)) {
            Keys keys = new Keys(repo);
            switch (a.positional.get(0)) {
                case "list" -> {
                    StringBuilder text = new StringBuilder();
                    List<Map<String, Object>> json = new ArrayList<>();
                    for (Keys.Listed k : keys.list()) {
                        text.append(String.format(
                                Locale.ROOT,
                                "%s %-8s  %-6s  %-19s  %-12s  %s%n",
                                k.current() ? "*" : " ",
                                k.name().substring(0, 8),
                                k.key().role(),
                                local(k.key().created()),
                                k.key().host(),
                                k.key().label()));
                        Map<String, Object> j = new LinkedHashMap<>();
                        j.put("id", k.name());
                        j.put("role", k.key().role());
                        j.put("label", k.key().label());
                        j.put("host", k.key().host());
                        j.put("created", k.key().created().toString());
                        j.put("current", k.current());
                        json.add(j);
                    }
                    report(a, json, text.toString().stripTrailing());
                }
                case "add" -> {
                    String role = a.flag("--admin") ? KeyFile.ADMIN : KeyFile.APPEND;
                    char[] pass = a.get("--new-password-file") != null
                            ? readPassword(Path.of(a.get("--new-password-file")))
                            : envPassword("MAMORI_BACKUP_NEW_PASSWORD");
                    String name = keys.add(pass, role, a.get("--label", ""));
                    report(a, Map.of("id", name, "role", role), "added " + role + " key " + name.substring(0, 8));
                }
                case "remove" -> {
                    if (a.positional.size() != 2) {
                        throw new Args.UsageException("usage: key remove ID");
                    }
                    String name = keys.remove(a.positional.get(1));
                    report(a, Map.of("removed", name), "removed key " + name.substring(0, 8));
                }
                default -> throw new Args.UsageException("key list | add | remove, not " + a.positional.get(0));
            }
        }
        return OK;
    }

    private int stats(Args a) throws IOException {
        a.allow("stats");
        try (Repository repo = open(a)) {
            Stats.Result r = new Stats(repo).run();
            report(
                    a,
                    r,
                    String.format(
                            Locale.ROOT,
                            "%d generations, %d packs, %d blobs%nall generations as plain copies: %s%ndistinct content: %s%n"
                                    + "stored: %s (%.1f× smaller than plain copies)",
                            r.generations(),
                            r.packs(),
                            r.blobs(),
                            Progress.size(r.logicalBytes()),
                            Progress.size(r.uniqueBytes()),
                            Progress.size(r.storedBytes()),
                            r.savedRatio()));
        }
        return OK;
    }

    private int drill(Args a) throws IOException {
        a.allow("drill", "--sandbox", "--keep");
        String generation = a.positional.isEmpty() ? "latest" : a.positional.get(0);
        try (Repository repo = open(a)) {
            Path sandbox = a.get("--sandbox") != null
                    ? Path.of(a.get("--sandbox"))
                    : Files.createTempDirectory("mamori-drill-");
            Drill.Stored d = new Drill(repo, progress(a, "restored")).run(generation, sandbox, a.flag("--keep"));
            Drill.Record r = d.record();
            StringBuilder text = new StringBuilder(String.format(
                    Locale.ROOT,
                    "restore drill %s: generation %s (%s, %s) — %d files, %s restored and checked in %.1f s: %s",
                    d.name().substring(0, 8),
                    r.generation().substring(0, 8),
                    r.kind(),
                    local(r.generationTime()),
                    r.files(),
                    Progress.size(r.bytes()),
                    r.seconds(),
                    r.passed() ? "PASSED" : "FAILED"));
            for (String e : r.errors()) {
                text.append("\nerror: ").append(e);
            }
            text.append("\nthe signed record is stored in the repository as drills/")
                    .append(d.name());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", d.name());
            json.put("record", r);
            json.put(
                    "publicKey",
                    java.util.Base64.getEncoder().encodeToString(repo.keys().signPublic()));
            report(a, json, text.toString());
            return r.passed() ? OK : FAILED;
        }
    }

    private int drills(Args a) throws IOException {
        a.allow("drills");
        try (Repository repo = open(a)) {
            StringBuilder text = new StringBuilder();
            List<Map<String, Object>> json = new ArrayList<>();
            for (Drill.Stored d : new Drill(repo, Progress.SILENT).list()) {
                Drill.Record r = d.record();
                boolean valid = r.verify(repo.keys().verifyingKey());
                text.append(String.format(
                        Locale.ROOT,
                        "%-8s  %s  generation %s  %-8s  %6d files  %7.1f s  %s%s%n",
                        d.name().substring(0, 8),
                        local(r.started()),
                        r.generation().substring(0, 8),
                        r.kind(),
                        r.files(),
                        r.seconds(),
                        r.passed() ? "PASSED" : "FAILED",
                        valid ? "" : "  SIGNATURE INVALID"));
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("id", d.name());
                j.put("record", r);
                j.put("signatureValid", valid);
                json.add(j);
            }
            report(a, json, text.toString().stripTrailing());
        }
        return OK;
    }

    // ---- helpers ----

    private Backend backend(Args a) throws IOException {
        String location = a.get("--repo", env.get("MAMORI_BACKUP_REPOSITORY"));
        if (location == null) {
            throw new Args.UsageException("say where the repository is: -r/--repo or MAMORI_BACKUP_REPOSITORY");
        }
        return Backends.open(location, env);
    }

    private Repository open(Args a) throws IOException {
        return Repository.open(backend(a), passphrase(a, "MAMORI_BACKUP_PASSWORD"));
    }

    private char[] passphrase(Args a, String variable) throws IOException {
        if (a.get("--password-file") != null) {
            return readPassword(Path.of(a.get("--password-file")));
        }
        if (env.get(variable) == null && env.get("MAMORI_BACKUP_PASSWORD_FILE") != null) {
            return readPassword(Path.of(env.get("MAMORI_BACKUP_PASSWORD_FILE")));
        }
        return envPassword(variable);
    }

    private char[] envPassword(String variable) {
        String p = env.get(variable);
        if (p == null || p.isEmpty()) {
            throw new Args.UsageException(
                    "no passphrase: set " + variable + " or MAMORI_BACKUP_PASSWORD_FILE, or give --password-file");
        }
        return p.toCharArray();
    }

    private static char[] readPassword(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
            throw new IOException("the password file " + file + " is empty");
        }
        return s.toCharArray();
    }

    private Progress progress(Args a, String verb) {
        boolean terminal = System.console() != null;
        return a.flag("--quiet") || a.flag("--json") || !terminal ? Progress.SILENT : new Progress(err, verb);
    }

    private void report(Args a, Object json, String text) {
        if (a.flag("--json")) {
            out.println(new String(Json.write(json), StandardCharsets.UTF_8));
        } else if (!a.flag("--quiet")) {
            out.println(text);
        }
    }

    private static String local(Instant t) {
        return t.atZone(ZoneId.systemDefault())
                .toLocalDateTime()
                .withNano(0)
                .toString()
                .replace('T', ' ');
    }

    static LocalDate since(String spec) {
        if (spec == null) {
            return null;
        }
        try {
            if (spec.matches("\\d+m")) {
                return LocalDate.now().minusMonths(Long.parseLong(spec.substring(0, spec.length() - 1)));
            }
            if (spec.matches("\\d+d")) {
                return LocalDate.now().minusDays(Long.parseLong(spec.substring(0, spec.length() - 1)));
            }
            return LocalDate.parse(spec);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new Args.UsageException(
                    "--since wants a date (2025-10-01) or an age (13m, 400d), not \"" + spec + "\"");
        }
    }

    static Duration duration(String spec) {
        try {
            long n = Long.parseLong(spec.substring(0, spec.length() - 1));
            return switch (spec.charAt(spec.length() - 1)) {
                case 'd' -> Duration.ofDays(n);
                case 'w' -> Duration.ofDays(7 * n);
                case 'm' -> Duration.ofDays(31 * n);
                case 'y' -> Duration.ofDays(366 * n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new Args.UsageException("a duration is a number and h, d, w, m or y (30d), not \"" + spec + "\"");
        }
    }

    static double subset(String spec) {
        try {
            double v;
            if (spec.endsWith("%")) {
                v = Double.parseDouble(spec.substring(0, spec.length() - 1)) / 100;
            } else if (spec.contains("/")) {
                String[] p = spec.split("/");
                v = Double.parseDouble(p[0]) / Double.parseDouble(p[1]);
            } else {
                v = Double.parseDouble(spec);
            }
            if (!(v > 0 && v <= 1)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (RuntimeException e) {
            throw new Args.UsageException("a share is 10%, 1/5 or 0.2 (above 0, at most all), not \"" + spec + "\"");
        }
    }

    private static final String USAGE_TEXT =
            """
            mamori-backup — deduplicated, encrypted backup that ransomware cannot rewrite

            usage: mamori-backup COMMAND [options]
              -r, --repo LOCATION      a folder, vault:https://host:port/ or s3:https://endpoint/bucket/prefix
                                       (or MAMORI_BACKUP_REPOSITORY)
              --password-file FILE     the passphrase (or MAMORI_BACKUP_PASSWORD, MAMORI_BACKUP_PASSWORD_FILE)
              --json                   machine-readable output      --quiet   no output but errors

            commands:
              init [--lock-days N]                         create a repository
              backup PATH... [--kind K] [--tag T] [--host H] [--parent GEN]
              backup --stdin [--stdin-filename NAME] --kind ehr-db     e.g. pg_dump … | mamori-backup backup --stdin
                     kinds: ehr-db, ssmix2, documents, system, other
              snapshots                                    list generations
              restore GEN --target DIR [--include PATH] [--since 2025-10-01|13m] [--verify]
              diff GEN GEN                                 what changed between two generations
              check [--read-data | --read-data-subset 10%]
              forget [--keep-last N] [--keep-within 30d] [--keep-daily N] [--keep-weekly N]
                     [--keep-monthly N] [--accept-suspect GEN] [--dry-run] [--prune]
                     default: EHR 5 generations, others 3, 7 days, 7 daily, 4 weekly, 12 monthly
              prune [--max-unused 25%]
              key list | key add [--append|--admin] [--label TEXT] | key remove ID
                     (new passphrase from MAMORI_BACKUP_NEW_PASSWORD or --new-password-file)
              stats
              drill [GEN] [--sandbox DIR] [--keep]          restore into a sandbox, check, sign a record
              drills                                       list drill records and check their signatures
              vault serve|token …                          the append-only vault (see vault --help)

            GEN is latest or the first characters of a generation's ID.
            exit codes: 0 done, 1 failed or damage found, 2 wrong usage, 3 some files unreadable,
                        4 generation marked suspect by the ransomware guard
            """;
}
