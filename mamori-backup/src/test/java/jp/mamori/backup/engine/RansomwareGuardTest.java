package jp.mamori.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import jp.mamori.backup.cli.Main;
import jp.mamori.backup.repository.LocalBackend;
import jp.mamori.backup.repository.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RansomwareGuardTest {

    @TempDir
    Path tmp;

    private final Map<String, String> env = Map.of("MAMORI_BACKUP_PASSWORD", "guard test passphrase");

    private int cli(ByteArrayOutputStream out, String... args) {
        return new Main(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        env,
                        System.in)
                .run(List.of(args));
    }

    /** What a ransomware run does: overwrite most files with ciphertext, rename them, leave a note. */
    static void encrypt(Path root, double share) throws Exception {
        Random r = new Random(99);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int n = (int) Math.ceil(files.size() * share);
        for (int i = 0; i < n; i++) {
            Path f = files.get(i);
            byte[] cipher = new byte[(int) Math.max(1024, Files.size(f))];
            r.nextBytes(cipher);
            Files.write(f.resolveSibling(f.getFileName() + ".lockedfiles"), cipher);
            Files.delete(f);
        }
        Files.writeString(root.resolve("HOW_TO_RECOVER_FILES.txt"), "synthetic note for a test\n");
    }

    @Test
    void marks_a_mass_encryption_suspect_exits_4_and_keeps_the_clean_generations() throws Exception {
        Path source = SampleFiles.clinic(tmp.resolve("source"), 11);
        String repo = tmp.resolve("repo").toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(cli(out, "init", "-r", repo)).isZero();
        for (int day = 0; day < 4; day++) {
            Files.writeString(source.resolve("documents/daily-" + day + ".txt"), "day " + day);
            assertThat(cli(out, "backup", "-r", repo, "--kind", "documents", source.toString()))
                    .as(out.toString())
                    .isZero();
        }
        encrypt(source, 0.7);
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        assertThat(cli(run, "backup", "-r", repo, "--kind", "documents", source.toString()))
                .as(run.toString())
                .isEqualTo(Main.SUSPECT);
        assertThat(run.toString(StandardCharsets.UTF_8))
                .contains("SUSPECT")
                .contains("look like random data")
                .contains("new extension")
                .contains("HOW_TO_RECOVER_FILES.txt");

        // An attacker now pushes fresh "clean" generations; the policy (3 for documents) would drop the old ones.
        for (int i = 0; i < 5; i++) {
            Files.writeString(source.resolve("HOW_TO_RECOVER_FILES.txt"), "x" + i);
            cli(out, "backup", "-r", repo, "--kind", "documents", source.toString());
        }
        ByteArrayOutputStream forget = new ByteArrayOutputStream();
        assertThat(cli(
                        forget,
                        "forget",
                        "-r",
                        repo,
                        "--keep-within",
                        "0d",
                        "--keep-daily",
                        "0",
                        "--keep-weekly",
                        "0",
                        "--keep-monthly",
                        "0"))
                .isZero();
        try (Repository r = Repository.open(new LocalBackend(Path.of(repo)), "guard test passphrase".toCharArray())) {
            List<Generations.Named> left = new Generations(r).list();
            assertThat(left.stream().filter(g -> !g.snapshot().suspect()).limit(4))
                    .as("the four clean generations from before the attack are all still there")
                    .hasSize(4)
                    .allSatisfy(g -> assertThat(g.snapshot().stats().files()).isLessThan(40));
            assertThat(forget.toString()).contains("clean generation before a suspect one");
        }
    }

    @Test
    void ordinary_daily_change_is_not_suspect() throws Exception {
        Path source = SampleFiles.clinic(tmp.resolve("source"), 12);
        try (Repository repo = Repository.init(new LocalBackend(tmp.resolve("repo")), "p".toCharArray(), 0)) {
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "documents"));
            // A day's work: a few letters edited, new results, a ZIP (random-looking) added.
            Files.writeString(source.resolve("documents/letter-1.txt"), "edited");
            Files.writeString(source.resolve("documents/letter-2.txt"), "edited too");
            byte[] zip = new byte[200_000];
            new Random(5).nextBytes(zip);
            Files.write(source.resolve("documents/archive.zip"), zip);
            var result = new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "documents"));
            assertThat(result.snapshot().guard().suspect()).isFalse();
            assertThat(result.snapshot().guard().changed()).isEqualTo(2);
        }
    }

    @Test
    void forget_keeps_five_ehr_generations_and_three_of_others_and_counts_time_not_generations() throws Exception {
        List<Generations.Named> ehr = new java.util.ArrayList<>();
        Instant now = Instant.parse("2026-11-20T02:00:00Z");
        for (int d = 10; d >= 1; d--) {
            ehr.add(generation("e" + d, now.minus(java.time.Duration.ofDays(d)), "ehr-db", false));
        }
        Forget.Policy lastOnly = new Forget.Policy(null, java.time.Duration.ZERO, 0, 0, 0, java.util.Set.of());
        assertThat(Forget.decide(ehr, lastOnly, now).stream().filter(Forget.Decision::keep))
                .hasSize(5);
        List<Generations.Named> docs = ehr.stream()
                .map(g -> generation(g.name(), g.snapshot().time(), "documents", false))
                .toList();
        assertThat(Forget.decide(docs, lastOnly, now).stream().filter(Forget.Decision::keep))
                .hasSize(3);

        // Twenty fake generations pushed in the last hour do not push out what keep-within protects.
        List<Generations.Named> attacked = new java.util.ArrayList<>(docs);
        for (int i = 0; i < 20; i++) {
            attacked.add(generation("f" + i, now.minusSeconds(3600 - i), "documents", false));
        }
        Forget.Policy within = new Forget.Policy(null, java.time.Duration.ofDays(7), 0, 0, 0, java.util.Set.of());
        List<Forget.Decision> plan = Forget.decide(attacked, within, now);
        assertThat(plan.stream().filter(d -> d.keep() && d.generation().name().startsWith("e")))
                .hasSize(7); // e7 … e1 are within 7 days of "now"
    }

    private static Generations.Named generation(String name, Instant time, String kind, boolean suspect) {
        var stats = new jp.mamori.backup.snapshot.Snapshot.Stats(1, 1, 1, 0, 0, 0, 0, 0, 0, List.of());
        var guard = new jp.mamori.backup.snapshot.GuardReport("p", 1, 1, 1, 1, 1, List.of(), suspect, List.of());
        return new Generations.Named(
                name,
                new jp.mamori.backup.snapshot.Snapshot(
                        time, "host", List.of("/data"), List.of(), kind, "00", null, stats, guard, "test"));
    }
}
