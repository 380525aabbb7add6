package jp.mamori.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import jp.mamori.backup.repository.LocalBackend;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRestoreTest {

    @TempDir
    Path tmp;

    private static final char[] PASS = "correct horse battery staple (test)".toCharArray();

    @Test
    void a_restore_returns_the_bytes_that_were_backed_up() throws Exception {
        Path source = SampleFiles.clinic(tmp.resolve("source"), 1);
        try (Repository repo = Repository.init(new LocalBackend(tmp.resolve("repo")), PASS, 0)) {
            var result = new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "ssmix2"));
            assertThat(result.snapshot().stats().files()).isEqualTo(6 * 3 + 4 + 2 + 1);
            assertThat(result.snapshot().parent()).isNull();
        }
        try (Repository repo = Repository.open(new LocalBackend(tmp.resolve("repo")), PASS)) {
            var restored = new Restore(repo, Progress.SILENT)
                    .run(Restore.Options.of("latest", tmp.resolve("out")).withVerify(true));
            assertThat(restored.errors()).isEmpty();
            SampleFiles.assertSameTree(source, tmp.resolve("out/source"));
        }
    }

    @Test
    void a_second_backup_stores_only_what_changed_and_reads_only_changed_files() throws Exception {
        Path source = SampleFiles.clinic(tmp.resolve("source"), 2);
        Path repoDir = tmp.resolve("repo");
        try (Repository repo = Repository.init(new LocalBackend(repoDir), PASS, 0)) {
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "documents"));
        }
        long sizeAfterFirst = folderSize(repoDir);
        Files.writeString(source.resolve("documents/letter-0.txt"), "紹介状 (synthetic) changed\n".repeat(2100));
        Files.writeString(source.resolve("documents/new.txt"), "a new note\n");
        try (Repository repo = Repository.open(new LocalBackend(repoDir), PASS)) {
            var second = new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "documents"));
            assertThat(second.snapshot().parent()).isNotNull();
            assertThat(second.snapshot().stats().filesChanged()).isEqualTo(1);
            assertThat(second.snapshot().stats().filesNew()).isEqualTo(1);
            assertThat(second.snapshot().stats().filesUnchanged()).isEqualTo(6 * 3 + 3 + 2 + 1);
            assertThat(second.snapshot().guard().suspect()).isFalse();
            assertThat(folderSize(repoDir) - sizeAfterFirst).isLessThan(200_000);
            SampleFiles.assertRestoresTo(repo, source, tmp.resolve("out"));
        }
    }

    @Test
    void backs_up_a_database_dump_from_standard_input() throws Exception {
        byte[] dump = new byte[9 * 1024 * 1024];
        Random r = new Random(3);
        for (int i = 0; i < dump.length; i++) {
            dump[i] = (byte) ("INSERT INTO t VALUES (" + r.nextInt(100) + ");\n").charAt(i % 20);
        }
        try (Repository repo = Repository.init(new LocalBackend(tmp.resolve("repo")), PASS, 0)) {
            var result = new BackupRun(repo, Progress.SILENT)
                    .run(BackupRun.Options.of(List.of(), "ehr-db")
                            .withStdin(new ByteArrayInputStream(dump), "ehr.sql"));
            assertThat(result.snapshot().paths()).containsExactly("-");
            new Restore(repo, Progress.SILENT).run(Restore.Options.of("latest", tmp.resolve("out")));
            assertThat(Files.readAllBytes(tmp.resolve("out/ehr.sql"))).isEqualTo(dump);
        }
    }

    @Test
    void restores_only_the_ssmix2_days_since_a_date() throws Exception {
        Path source = SampleFiles.clinic(tmp.resolve("source"), 4);
        try (Repository repo = Repository.init(new LocalBackend(tmp.resolve("repo")), PASS, 0)) {
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "ssmix2"));
            var result = new Restore(repo, Progress.SILENT)
                    .run(Restore.Options.of("latest", tmp.resolve("out"))
                            .withInclude("source/ssmix2")
                            .withSince(LocalDate.of(2026, 5, 1)));
            // Days 20260115, 20260515, 20260915: the last two of each of the six patients.
            assertThat(result.files()).isEqualTo(12);
            assertThat(tmp.resolve("out/source/documents")).doesNotExist();
        }
    }

    @Test
    void writes_no_objects_outside_the_known_folders() throws Exception {
        Path source = SampleFiles.clinic(tmp.resolve("source"), 5);
        try (Repository repo = Repository.init(new LocalBackend(tmp.resolve("repo")), PASS, 0)) {
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "other"));
            assertThat(repo.backend().list(ObjectKind.PACK)).isNotEmpty();
            assertThat(repo.backend().list(ObjectKind.INDEX)).hasSize(1);
            assertThat(repo.backend().list(ObjectKind.SNAPSHOT)).hasSize(1);
        }
        try (var files = Files.list(tmp.resolve("repo"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("config", "keys", "data", "index", "snapshots", "tmp");
        }
    }

    static long folderSize(Path p) throws Exception {
        try (var walk = Files.walk(p)) {
            return walk.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }
}
