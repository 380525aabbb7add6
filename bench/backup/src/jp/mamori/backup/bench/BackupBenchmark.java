package jp.mamori.backup.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * mamori-backup against restic on the same generated dataset, in the same run, on this machine:
 * initial backup, day-2 incremental, full restore, {@code check --read-data}, repository size and
 * peak memory. Each figure is also given as a share of this machine's raw read + SHA-256 speed over
 * the dataset. Both tools run as separate processes under {@code /usr/bin/time}; the dataset is in
 * the page cache for both (read once beforehand), so the figures compare CPU work, not the disk.
 *
 * <pre>./mvnw -pl mamori-backup -Pbench test [-Dbench.size-mib=2048] [-Dbench.dir=DIR]</pre>
 */
@Tag("bench")
class BackupBenchmark {

    private static final String PASSWORD = "benchmark passphrase, synthetic";

    private record Run(double seconds, long peakKiB) {}

    private final Map<String, Run> restic = new LinkedHashMap<>();
    private final Map<String, Run> mamori = new LinkedHashMap<>();

    @Test
    void compare_with_restic() throws Exception {
        long sizeMiB = Long.getLong("bench.size-mib", 2048);
        Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")))
                .resolve("mamori-backup-bench");
        deleteTree(base);
        Files.createDirectories(base);
        if (!Files.isExecutable(Path.of("/usr/bin/restic")) || !Files.isExecutable(Path.of("/usr/bin/time"))) {
            System.out.println("bench: needs /usr/bin/restic and /usr/bin/time (apt-get install restic time)");
            return;
        }
        try {
            System.out.printf(Locale.ROOT, "bench: generating %d MiB of clinic-like data in %s%n", sizeMiB, base);
            ClinicDataset data = new ClinicDataset(base.resolve("clinic"), sizeMiB << 20, 2026);
            long bytes = data.create();
            long files = countFiles(data.root);
            double raw = readAndHash(data.root); // also warms the page cache
            double rawRate = bytes / raw;
            System.out.printf(Locale.ROOT, "bench: %d files, %.0f MiB; raw read + SHA-256 on %d cores: %.0f MiB/s%n",
                    files, bytes / 1048576.0, Runtime.getRuntime().availableProcessors(), rawRate / 1048576);

            Path resticRepo = base.resolve("restic-repo");
            Path mamoriRepo = base.resolve("mamori-repo");
            exec(base, "restic init", List.of("restic", "-r", resticRepo.toString(), "init"), null);
            exec(base, "mamori init", mamoriCommand("init", "-r", mamoriRepo.toString()), null);

            restic.put("initial backup", exec(base, "restic backup 1", resticBackup(resticRepo, data.root), null));
            mamori.put("initial backup", exec(base, "mamori backup 1", mamoriBackup(mamoriRepo, data.root), null));

            data.changeForDay2();
            readAndHash(data.root);
            long bytes2 = folderBytes(data.root);
            restic.put("incremental backup", exec(base, "restic backup 2", resticBackup(resticRepo, data.root), null));
            mamori.put("incremental backup", exec(base, "mamori backup 2", mamoriBackup(mamoriRepo, data.root), null));

            Path out = base.resolve("restore");
            restic.put("full restore", exec(base, "restic restore", List.of("restic", "-r", resticRepo.toString(),
                    "restore", "latest", "--target", out.resolve("restic").toString()), null));
            mamori.put("full restore", exec(base, "mamori restore", mamoriCommand("restore", "latest", "-r",
                    mamoriRepo.toString(), "--target", out.resolve("mamori").toString()), null));
            compareTrees(data.root, out.resolve("mamori").resolve(data.root.getFileName().toString()));
            deleteTree(out);

            restic.put("check --read-data", exec(base, "restic check", List.of("restic", "-r",
                    resticRepo.toString(), "check", "--read-data"), null));
            mamori.put("check --read-data", exec(base, "mamori check", mamoriCommand("check", "--read-data", "-r",
                    mamoriRepo.toString()), null));

            long resticSize = folderBytes(resticRepo);
            long mamoriSize = folderBytes(mamoriRepo);

            System.out.println();
            System.out.printf(Locale.ROOT, "dataset: %d files, %.0f MiB (day 2: %.0f MiB); raw read + SHA-256: %.0f MiB/s%n",
                    files, bytes / 1048576.0, bytes2 / 1048576.0, rawRate / 1048576);
            System.out.printf(Locale.ROOT, "%-20s %10s %10s %10s %10s %8s %12s %12s%n", "step", "restic s", "mamori s",
                    "restic MiB/s", "mamori MiB/s", "ratio", "mamori/raw", "peak MiB r/m");
            for (String step : restic.keySet()) {
                Run r = restic.get(step);
                Run m = mamori.get(step);
                long volume = step.startsWith("initial") ? bytes : step.startsWith("check") ? mamoriSize : bytes2;
                long rVolume = step.startsWith("check") ? resticSize : volume;
                System.out.printf(Locale.ROOT, "%-20s %10.2f %10.2f %10.0f %10.0f %7.2fx %11.0f%% %6d/%d%n", step,
                        r.seconds(), m.seconds(), rVolume / r.seconds() / 1048576, volume / m.seconds() / 1048576,
                        r.seconds() / m.seconds(), 100 * (volume / m.seconds()) / rawRate, r.peakKiB() / 1024,
                        m.peakKiB() / 1024);
            }
            System.out.printf(Locale.ROOT, "repository size: restic %.0f MiB, mamori %.0f MiB (mamori/restic %.3f)%n",
                    resticSize / 1048576.0, mamoriSize / 1048576.0, (double) mamoriSize / resticSize);
            System.out.println();
            System.out.println("RATIOS (restic time ÷ mamori time; above 1 means mamori is faster):");
            for (String step : restic.keySet()) {
                System.out.printf(Locale.ROOT, "  %-20s %.2f×%n", step,
                        restic.get(step).seconds() / mamori.get(step).seconds());
            }
            System.out.printf(Locale.ROOT, "  %-20s %.3f (mamori ÷ restic, below 1 is smaller)%n", "repository size",
                    (double) mamoriSize / resticSize);
            long peak = mamori.values().stream().mapToLong(Run::peakKiB).max().orElse(0);
            System.out.printf(Locale.ROOT, "  %-20s %d MiB (target: under 512 MiB)%n", "mamori peak memory", peak / 1024);
        } finally {
            if (!Boolean.getBoolean("bench.keep")) {
                deleteTree(base);
            }
        }
    }

    private static List<String> resticBackup(Path repo, Path data) {
        return List.of("restic", "-r", repo.toString(), "backup", "--host", "bench", data.toString());
    }

    private static List<String> mamoriBackup(Path repo, Path data) {
        return mamoriCommand("backup", "-r", repo.toString(), "--host", "bench", "--kind", "ssmix2", data.toString());
    }

    private static List<String> mamoriCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + System.getProperty("bench.xmx", "256m")));
        // For profiling, e.g. -Dbench.jvm-args=-XX:StartFlightRecording=filename=DIR/
        String extra = System.getProperty("bench.jvm-args", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "jp.mamori.backup.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Run exec(Path base, String label, List<String> command, Path stdin) throws Exception {
        Path timing = base.resolve("time.txt");
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %M", "-o", timing.toString()));
        timed.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(timed).redirectErrorStream(true);
        pb.environment().put("RESTIC_PASSWORD", PASSWORD);
        pb.environment().put("MAMORI_BACKUP_PASSWORD", PASSWORD);
        pb.environment().put("RESTIC_CACHE_DIR", base.resolve("restic-cache").toString());
        Process p = pb.start();
        byte[] output;
        try (InputStream in = p.getInputStream()) {
            output = in.readAllBytes();
        }
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException(label + " exited " + code + ":\n" + new String(output));
        }
        String[] t = Files.readString(timing).trim().split("\\s+");
        String[] lines = Files.readString(timing).trim().split("\n");
        t = lines[lines.length - 1].trim().split("\\s+");
        Run run = new Run(Double.parseDouble(t[0]), Long.parseLong(t[1]));
        System.out.printf(Locale.ROOT, "bench: %-16s %7.2f s, peak %d MiB%n", label, run.seconds(), run.peakKiB() / 1024);
        return run;
    }

    /** Reads every file and hashes it with SHA-256, on all cores; returns the seconds taken. */
    private static double readAndHash(Path root) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        AtomicLong sink = new AtomicLong();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Path f : files) {
                done.add(pool.submit(() -> {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[1 << 20];
                    try (InputStream in = Files.newInputStream(f)) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            sha.update(buf, 0, n);
                        }
                    }
                    sink.addAndGet(sha.digest()[0]);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void compareTrees(Path expected, Path actual) throws IOException {
        try (Stream<Path> walk = Files.walk(expected)) {
            for (Path e : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(e)) {
                    Path a = actual.resolve(expected.relativize(e).toString());
                    if (Files.mismatch(e, a) != -1) {
                        throw new IllegalStateException("restore differs: " + a);
                    }
                }
            }
        }
    }

    private static long countFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    private static long folderBytes(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
