package jp.mamori.auditlog.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.mamori.auditlog.DirectoryTileStore;
import jp.mamori.auditlog.Hashes;
import jp.mamori.auditlog.InvalidProofException;
import jp.mamori.auditlog.MerkleLog;
import jp.mamori.auditlog.Proofs;
import jp.mamori.auditlog.checkpoint.Checkpoint;
import jp.mamori.auditlog.checkpoint.NoteFormatException;
import jp.mamori.auditlog.checkpoint.NoteVerifier;
import jp.mamori.auditlog.export.ExportVerifier;
import jp.mamori.auditlog.export.VerificationResult;
import jp.mamori.auditlog.jcs.Json;
import jp.mamori.auditlog.jcs.JsonParseException;

/**
 * {@code java -jar mamori-auditlog.jar <command> ...}. Exit codes: 0 verified, 1 verification failed,
 * 2 wrong usage, 3 a file could not be read.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREADABLE = 3;

    private static final String USAGE_TEXT =
            """
            usage: java -jar mamori-auditlog.jar <command> ...
              verify EXPORT_DIR                          check every event and checkpoint of an export
                                                         (a file inside the export names its directory)
              prove --index I [--size N] EXPORT_DIR      print and check an inclusion proof (c2sp.org/tlog-proof@v1)
              consistency --from M --to N EXPORT_DIR     print and check a consistency proof
              check-inclusion --key VERIFIER_KEY (--event EVENT_JSON_FILE | --leaf-hash BASE64) PROOF_FILE
                                                         check an inclusion proof handed out by the server
              check-consistency [--old-root BASE64 --new-root BASE64] PROOF_FILE
                                                         check a consistency proof against roots you trust
            exit codes: 0 verified, 1 verification failed, 2 wrong usage, 3 unreadable input
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;

    Main(PrintStream out, PrintStream err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    public static void main(String[] args) {
        System.exit(new Main(System.out, System.err, System.console() != null).run(args));
    }

    int run(String[] args) {
        if (args.length == 0) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        Map<String, String> opts = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    err.println("option " + args[i] + " needs a value");
                    return USAGE;
                }
                opts.put(args[i].substring(2), args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        try {
            return switch (args[0]) {
                case "verify" -> verify(one(rest));
                case "prove" -> prove(opts, one(rest));
                case "consistency" -> consistency(opts, one(rest));
                case "check-inclusion" -> checkInclusion(opts, one(rest));
                case "check-consistency" -> checkConsistency(opts, one(rest));
                default -> throw new UsageException("unknown command \"" + args[0] + "\"");
            };
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        } catch (IOException e) {
            err.println("cannot read: " + e);
            return UNREADABLE;
        } catch (NoteFormatException | JsonParseException | IllegalArgumentException e) {
            err.println("FAILED: " + e.getMessage());
            return FAILED;
        }
    }

    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String m) {
            super(m);
        }
    }

    private static Path one(List<String> rest) throws UsageException {
        if (rest.size() != 1) {
            throw new UsageException("expected exactly one file or directory, got " + rest);
        }
        return Path.of(rest.get(0));
    }

    private static long number(Map<String, String> opts, String name, Long fallback) throws UsageException {
        String v = opts.get(name);
        if (v == null) {
            if (fallback == null) {
                throw new UsageException("missing --" + name);
            }
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got \"" + v + "\"");
        }
    }

    private int verify(Path given) throws UsageException {
        Path dir = given;
        if (Files.isRegularFile(given) && given.getParent() != null) {
            dir = given.getParent(); // events.ndjson or another file of the export was named
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException(dir + " is not an export directory");
        }
        long start = System.nanoTime();
        long[] lastPrint = {0};
        VerificationResult r = ExportVerifier.verify(dir, (n, total) -> {
            long now = System.nanoTime();
            if (interactive && now - lastPrint[0] > 250_000_000L) {
                lastPrint[0] = now;
                err.printf("\r%,d / %,d events (%d%%)", n, total, total == 0 ? 100 : n * 100 / total);
            }
        });
        if (interactive) {
            err.print("\r\033[K");
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (r.ok()) {
            out.printf(
                    "OK: %,d events and %d signed checkpoints verified in %.1f s%n", r.events(), r.checkpoints(), secs);
            if (r.expired() > 0) {
                out.printf(
                        "%,d of the events are expired: their bodies were removed when their retention ended, their"
                                + " leaf hashes remain%n",
                        r.expired());
            }
            return OK;
        }
        out.println("FAILED: " + r.problem().orElseThrow());
        return FAILED;
    }

    private int prove(Map<String, String> opts, Path dir)
            throws UsageException, IOException, NoteFormatException, JsonParseException {
        NoteVerifier key = ExportVerifier.readKey(dir);
        TreeMap<Long, Checkpoint> cps = ExportVerifier.readCheckpoints(dir, key);
        long size = number(opts, "size", cps.lastKey());
        long index = number(opts, "index", null);
        Checkpoint cp = cps.get(size);
        if (cp == null) {
            throw new UsageException(
                    "the export has no signed checkpoint of size " + size + "; it has " + cps.keySet());
        }
        if (index < 0 || index >= size) {
            throw new UsageException("--index must be below the tree size " + size);
        }
        MerkleLog log = new MerkleLog(new DirectoryTileStore(dir), cps.lastKey());
        List<byte[]> proof = log.inclusionProof(index, size);
        byte[] leaf = log.leafHash(index);
        StringBuilder sb = new StringBuilder("c2sp.org/tlog-proof@v1\nindex ")
                .append(index)
                .append('\n');
        for (byte[] h : proof) {
            sb.append(Hashes.toBase64(h)).append('\n');
        }
        sb.append('\n').append(Files.readString(dir.resolve("checkpoints").resolve(Long.toString(size))));
        out.print(sb);
        try {
            Proofs.verifyInclusion(index, size, leaf, proof, cp.rootHash());
        } catch (InvalidProofException e) {
            err.println("FAILED: " + e.getMessage());
            return FAILED;
        }
        err.println("OK: leaf " + index + " (leaf hash " + Hashes.toBase64(leaf) + ") is in the signed tree of size "
                + size);
        return OK;
    }

    private int consistency(Map<String, String> opts, Path dir)
            throws UsageException, IOException, NoteFormatException, JsonParseException {
        NoteVerifier key = ExportVerifier.readKey(dir);
        TreeMap<Long, Checkpoint> cps = ExportVerifier.readCheckpoints(dir, key);
        long from = number(opts, "from", null);
        long to = number(opts, "to", cps.lastKey());
        Checkpoint old = cps.get(from);
        Checkpoint neu = cps.get(to);
        if (old == null || neu == null || from > to) {
            throw new UsageException(
                    "--from and --to must be sizes of signed checkpoints, from <= to; the export has " + cps.keySet());
        }
        MerkleLog log = new MerkleLog(new DirectoryTileStore(dir), cps.lastKey());
        List<byte[]> proof = log.consistencyProof(from, to);
        out.print(ProofText.consistency(from, old.rootHash(), to, neu.rootHash(), proof));
        try {
            Proofs.verifyConsistency(from, to, proof, old.rootHash(), neu.rootHash());
        } catch (InvalidProofException e) {
            err.println("FAILED: " + e.getMessage());
            return FAILED;
        }
        err.println("OK: the signed tree of size " + from + " is a prefix of the signed tree of size " + to);
        return OK;
    }

    private int checkInclusion(Map<String, String> opts, Path proofFile)
            throws UsageException, IOException, NoteFormatException, JsonParseException {
        String keyArg = opts.get("key");
        if (keyArg == null) {
            throw new UsageException("missing --key (a verifier key string or a file holding one)");
        }
        Path keyPath = Path.of(keyArg);
        NoteVerifier key = NoteVerifier.parse(Files.isRegularFile(keyPath) ? Files.readString(keyPath) : keyArg);
        byte[] leaf;
        if (opts.containsKey("event")) {
            leaf = Hashes.leafHash(Json.canonicalize(Files.readAllBytes(Path.of(opts.get("event")))));
        } else if (opts.containsKey("leaf-hash")) {
            leaf = Hashes.fromBase64(opts.get("leaf-hash"));
        } else {
            throw new UsageException("give the event (--event FILE) or its leaf hash (--leaf-hash BASE64)");
        }
        ProofText.Inclusion p = ProofText.parseInclusion(Files.readString(proofFile, StandardCharsets.UTF_8));
        Checkpoint cp = Checkpoint.open(p.checkpointNote(), key);
        try {
            Proofs.verifyInclusion(p.index(), cp.size(), leaf, p.proof(), cp.rootHash());
        } catch (InvalidProofException e) {
            out.println("FAILED: " + e.getMessage());
            return FAILED;
        }
        out.println("OK: leaf " + p.index() + " is in the tree of size " + cp.size() + " signed by " + key.name());
        return OK;
    }

    private int checkConsistency(Map<String, String> opts, Path proofFile)
            throws UsageException, IOException, NoteFormatException, JsonParseException {
        ProofText.Consistency p = ProofText.parseConsistency(Files.readString(proofFile, StandardCharsets.UTF_8));
        byte[] oldRoot = opts.containsKey("old-root") ? Hashes.fromBase64(opts.get("old-root")) : p.oldRoot();
        byte[] newRoot = opts.containsKey("new-root") ? Hashes.fromBase64(opts.get("new-root")) : p.newRoot();
        if (!opts.containsKey("old-root") || !opts.containsKey("new-root")) {
            err.println("note: checking against the roots written in the proof file; pass --old-root and"
                    + " --new-root from checkpoints you trust");
        }
        try {
            Proofs.verifyConsistency(p.oldSize(), p.newSize(), p.proof(), oldRoot, newRoot);
        } catch (InvalidProofException e) {
            out.println("FAILED: " + e.getMessage());
            return FAILED;
        }
        out.println("OK: the tree of size " + p.oldSize() + " is a prefix of the tree of size " + p.newSize());
        return OK;
    }
}
