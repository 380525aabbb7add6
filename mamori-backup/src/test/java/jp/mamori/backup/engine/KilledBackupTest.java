package jp.mamori.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jp.mamori.backup.repository.LocalBackend;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} in the middle of a backup: the repository stays whole and the next run resumes. */
class KilledBackupTest {

    @TempDir
    Path tmp;

    @Test
    void a_backup_killed_mid_way_leaves_a_whole_repository_and_the_next_run_does_not_send_again() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        Random r = new Random(31);
        byte[] block = new byte[1024 * 1024];
        for (int i = 0; i < 96; i++) {
            r.nextBytes(block);
            Files.write(source.resolve(String.format("image-%03d.dcm", i)), block);
        }
        Path repoDir = tmp.resolve("repo");
        String pass = "killed backup passphrase (test)";
        System.setProperty("mamori.backup.pack-size", String.valueOf(1024 * 1024));
        try (Repository repo = Repository.init(new LocalBackend(repoDir), pass.toCharArray(), 0)) {
            // 1 MiB packs, so an index file follows every 8 MiB and the kill lands mid-run
        } finally {
            System.clearProperty("mamori.backup.pack-size");
        }
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dmamori.backup.kdf.memory-kib=1024",
                        "-Dmamori.backup.kdf.iterations=1",
                        "-Xmx128m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "jp.mamori.backup.cli.Main",
                        "backup",
                        "-r",
                        repoDir.toString(),
                        source.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile());
        builder.environment().put("MAMORI_BACKUP_PASSWORD", pass);
        Process child = builder.start();
        child.getOutputStream().close();
        // Wait until the child has made some packs durable and indexed, then kill it without warning.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (countIndexes(repoDir) < 1 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        boolean killedMidway = child.isAlive();
        child.destroyForcibly().waitFor();
        assertThat(killedMidway)
                .as("the backup was still running when killed: " + Files.readString(tmp.resolve("child.log")))
                .isTrue();

        try (Repository repo = Repository.open(new LocalBackend(repoDir), pass.toCharArray())) {
            assertThat(repo.backend().list(ObjectKind.SNAPSHOT))
                    .as("no half generation")
                    .isEmpty();
            Check.Result check = new Check(repo, Progress.SILENT).run(Check.Options.readAll());
            assertThat(check.errors()).isEmpty();
            repo.loadIndex();
            long alreadyStored = repo.allBlobs().stream()
                    .mapToLong(jp.mamori.backup.repository.BlobEntry::rawLength)
                    .sum();
            assertThat(alreadyStored).isPositive();

            var result = new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "other"));
            long sentAgain = result.snapshot().stats().bytesAdded();
            long overhead = 64 * 1024; // seals and trees
            assertThat(sentAgain)
                    .as("the second run stores only what the first had not made durable")
                    .isLessThanOrEqualTo(96L * 1024 * 1024 - alreadyStored + overhead);
        }
        try (Repository repo = Repository.open(new LocalBackend(repoDir), pass.toCharArray())) {
            assertThat(new Check(repo, Progress.SILENT)
                            .run(Check.Options.readAll())
                            .errors())
                    .isEmpty();
            SampleFiles.assertRestoresTo(repo, source, tmp.resolve("out"));
        }
    }

    private static long countIndexes(Path repo) throws Exception {
        Path index = repo.resolve("index");
        if (!Files.isDirectory(index)) {
            return 0;
        }
        try (var s = Files.list(index)) {
            return s.count();
        }
    }
}
