package jp.mamori.backup.vault;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mamori-backup vault ...}: runs the vault and manages its tokens. Token commands work on
 * the vault root's files directly, so only someone logged in on the vault's host can run them.
 */
public final class VaultCommand {

    private VaultCommand() {}

    private static final String USAGE = String.join(
            "\n",
            "usage:",
            "  vault serve --root DIR [--listen 0.0.0.0:8443] [--lock-days 30] [--max-object-mib 64] [--threads 8]",
            "  vault token add --root DIR --append|--admin [--label NAME]",
            "  vault token list --root DIR",
            "  vault token revoke --root DIR ID",
            "  vault fingerprint --root DIR");

    /** Runs a vault subcommand; returns the process exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            if (args.isEmpty()) {
                err.println(USAGE);
                return 2;
            }
            String command = args.get(0);
            if (command.equals("token")) {
                if (args.size() < 2) {
                    err.println(USAGE);
                    return 2;
                }
                Options o = Options.parse(args.subList(2, args.size()), Set.of("--append", "--admin"));
                return switch (args.get(1)) {
                    case "add" -> tokenAdd(o, out, err);
                    case "list" -> tokenList(o, out);
                    case "revoke" -> tokenRevoke(o, out, err);
                    default -> usage(err, "unknown token command: " + args.get(1));
                };
            }
            Options o = Options.parse(args.subList(1, args.size()), Set.of());
            return switch (command) {
                case "serve" -> serve(o, out);
                case "fingerprint" -> {
                    out.println(VaultCertificate.loadOrCreate(o.root()).fingerprint());
                    yield 0;
                }
                default -> usage(err, "unknown vault command: " + command);
            };
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (IOException e) {
            err.println("vault: " + e.getMessage());
            return 1;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("vault: " + problem);
        err.println(USAGE);
        return 2;
    }

    private static int serve(Options o, PrintStream out) throws IOException {
        InetSocketAddress listen = parseListen(o.value("--listen", "0.0.0.0:8443"));
        long lockDays = o.number("--lock-days", 30);
        long maxMib = o.number("--max-object-mib", 64);
        int threads = (int) o.number("--threads", 8);
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1");
        }
        VaultServer.Settings settings = new VaultServer.Settings(
                o.root(), listen, Duration.ofDays(lockDays), maxMib * 1024 * 1024, threads, Clock.systemUTC());
        VaultServer vault = VaultServer.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            closeQuietly(vault);
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("vault serving " + o.root().toAbsolutePath() + " on https://" + listen.getHostString() + ":"
                + vault.port() + "/");
        out.println("lock period: " + lockDays + " days; objects up to " + maxMib + " MiB");
        out.println("certificate SHA-256 fingerprint (clients pin it as MAMORI_VAULT_FINGERPRINT):");
        out.println("  " + vault.fingerprint());
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // Stopped by the program that runs the vault in a thread, not by the process ending.
            Runtime.getRuntime().removeShutdownHook(hook);
            closeQuietly(vault);
            out.println("vault stopped");
        }
        return 0;
    }

    private static void closeQuietly(VaultServer vault) {
        try {
            vault.close();
        } catch (IOException e) {
            // Stopping anyway; the request log was flushed line by line.
        }
    }

    static InetSocketAddress parseListen(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--listen wants HOST:PORT, not: " + listen);
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen wants HOST:PORT, not: " + listen);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new IllegalArgumentException("--listen host is unknown: " + host);
        }
    }

    private static int tokenAdd(Options o, PrintStream out, PrintStream err) throws IOException {
        boolean append = o.flag("--append");
        boolean admin = o.flag("--admin");
        if (append == admin) {
            return usage(err, "token add needs exactly one of --append or --admin");
        }
        VaultTokens.Role role = admin ? VaultTokens.Role.ADMIN : VaultTokens.Role.APPEND;
        String label = o.value("--label", role == VaultTokens.Role.ADMIN ? "administrator" : "backup client");
        VaultTokens.Issued issued =
                new VaultTokens(o.root()).add(role, label, Clock.systemUTC().instant());
        out.println("token " + issued.entry().id() + " (" + issued.entry().role() + ", " + label + "):");
        out.println(issued.secret());
        out.println("This is the only time the token is shown; the vault keeps only its hash.");
        if (admin) {
            out.println("Any earlier administrator token is revoked. It works only from the vault's own host.");
        }
        return 0;
    }

    private static int tokenList(Options o, PrintStream out) throws IOException {
        for (VaultTokens.Entry e : new VaultTokens(o.root()).entries()) {
            out.println(e.id() + "  " + e.role() + "  created " + e.created() + "  "
                    + (e.active() ? "active" : "revoked " + e.revoked()) + "  " + e.label());
        }
        return 0;
    }

    private static int tokenRevoke(Options o, PrintStream out, PrintStream err) throws IOException {
        if (o.positional().size() != 1) {
            return usage(err, "token revoke needs one token id (see token list)");
        }
        String id = o.positional().get(0);
        if (!new VaultTokens(o.root()).revoke(id, Clock.systemUTC().instant())) {
            err.println("vault: no active token with id " + id);
            return 1;
        }
        out.println("token " + id + " revoked");
        return 0;
    }

    /** Command-line options: {@code --name value} pairs, bare flags, and positional words. */
    private record Options(Map<String, String> values, Set<String> flags, List<String> positional) {

        static Options parse(List<String> args, Set<String> knownFlags) {
            Map<String, String> values = new HashMap<>();
            Set<String> flags = new java.util.HashSet<>();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (knownFlags.contains(a)) {
                    flags.add(a);
                } else if (a.startsWith("--")) {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    values.put(a, args.get(++i));
                } else {
                    positional.add(a);
                }
            }
            return new Options(values, flags, positional);
        }

        Path root() {
            String root = values.get("--root");
            if (root == null) {
                throw new IllegalArgumentException("--root DIR is required: the vault's own folder");
            }
            return Path.of(root);
        }

        String value(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        long number(String name, long fallback) {
            String v = values.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                long n = Long.parseLong(v);
                if (n < 0) {
                    throw new IllegalArgumentException(name + " must not be negative: " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " wants a whole number, not: " + v);
            }
        }

        boolean flag(String name) {
            return flags.contains(name);
        }
    }
}
