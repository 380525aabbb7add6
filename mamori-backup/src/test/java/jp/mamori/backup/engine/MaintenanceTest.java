package jp.mamori.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.KeyFile;
import jp.mamori.backup.repository.LocalBackend;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forget and prune, keys with roles, restore drills, diff. */
class MaintenanceTest {

    private static final char[] ADMIN = "administrator passphrase (test)".toCharArray();
    private static final char[] APPEND = "append-only passphrase (test)".toCharArray();

    @TempDir
    Path tmp;

    @Test
    void prune_frees_what_no_generation_uses_and_the_rest_still_restores() throws Exception {
        Path source = SampleFiles.clinic(tmp.resolve("source"), 21);
        Path repoDir = tmp.resolve("repo");
        try (Repository repo = Repository.init(new LocalBackend(repoDir), ADMIN, 0)) {
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "documents"));
        }
        // The images are replaced: the first generation's 6 MiB of images are used by it alone.
        try (var images = Files.list(source.resolve("images"))) {
            for (Path p : images.toList()) {
                Files.write(p, new byte[] {1, 2, 3});
            }
        }
        try (Repository repo = Repository.open(new LocalBackend(repoDir), ADMIN)) {
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "documents"));
        }
        long before = BackupRestoreTest.folderSize(repoDir);
        try (Repository repo = Repository.open(new LocalBackend(repoDir), ADMIN)) {
            List<Forget.Decision> plan = new Forget(repo)
                    .apply(new Forget.Policy(1, java.time.Duration.ZERO, 0, 0, 0, Set.of()), Instant.now());
            assertThat(plan.stream().filter(d -> !d.keep())).hasSize(1);
            Prune.Result r = new Prune(repo, 0.25).run();
            assertThat(r.packsDeleted() + r.packsRewritten()).isPositive();
            assertThat(r.refused()).isEmpty();
        }
        assertThat(before - BackupRestoreTest.folderSize(repoDir)).isGreaterThan(5_000_000);
        try (Repository repo = Repository.open(new LocalBackend(repoDir), ADMIN)) {
            assertThat(new Check(repo, Progress.SILENT)
                            .run(Check.Options.readAll())
                            .errors())
                    .isEmpty();
            SampleFiles.assertRestoresTo(repo, source, tmp.resolve("out"));
            assertThat(repo.backend().list(ObjectKind.INDEX)).hasSize(1);
        }
    }

    @Test
    void an_append_key_backs_up_and_restores_but_cannot_forget_prune_or_manage_keys() throws Exception {
        Path source = SampleFiles.clinic(tmp.resolve("source"), 22);
        Path repoDir = tmp.resolve("repo");
        String appendKey;
        try (Repository repo = Repository.init(new LocalBackend(repoDir), ADMIN, 0)) {
            appendKey = new Keys(repo).add(APPEND, KeyFile.APPEND, "EHR server");
        }
        try (Repository repo = Repository.open(new LocalBackend(repoDir), APPEND)) {
            assertThat(repo.key().role()).isEqualTo("append");
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "other"));
            assertThat(new Restore(repo, Progress.SILENT)
                            .run(Restore.Options.of("latest", tmp.resolve("out")))
                            .errors())
                    .isEmpty();
            assertThatThrownBy(() -> new Forget(repo).apply(Forget.Policy.guideline(), Instant.now()))
                    .isInstanceOf(Backend.NotPermittedException.class)
                    .hasMessageContaining("administrator key");
            assertThatThrownBy(() -> new Prune(repo, 0.25).run()).isInstanceOf(Backend.NotPermittedException.class);
            assertThatThrownBy(() -> new Keys(repo).add("x".toCharArray(), KeyFile.ADMIN, "escalate"))
                    .isInstanceOf(Backend.NotPermittedException.class);
        }
        try (Repository repo = Repository.open(new LocalBackend(repoDir), ADMIN)) {
            assertThat(new Keys(repo).list()).hasSize(2);
            assertThatThrownBy(() -> new Keys(repo).remove(repo.keyName().substring(0, 8)))
                    .hasMessageContaining("cannot remove itself");
            new Keys(repo).remove(appendKey.substring(0, 8));
        }
        assertThatThrownBy(() -> Repository.open(new LocalBackend(repoDir), APPEND))
                .isInstanceOf(KeyFile.WrongPassphraseException.class);
    }

    @Test
    void a_drill_restores_checks_and_signs_a_record_that_detects_tampering() throws Exception {
        Path source = SampleFiles.clinic(tmp.resolve("source"), 23);
        try (Repository repo = Repository.init(new LocalBackend(tmp.resolve("repo")), ADMIN, 0)) {
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "ssmix2"));
            Drill.Stored d = new Drill(repo, Progress.SILENT).run("latest", tmp.resolve("sandbox"), false);
            assertThat(d.record().passed()).isTrue();
            assertThat(d.record().files()).isEqualTo(25);
            assertThat(tmp.resolve("sandbox")).doesNotExist();
            assertThat(d.record().verify(repo.keys().verifyingKey())).isTrue();
            var forged = new Drill.Record(
                    d.record().generation(),
                    d.record().generationTime(),
                    d.record().kind(),
                    d.record().paths(),
                    d.record().host(),
                    d.record().started().minusSeconds(86400 * 200),
                    d.record().finished(),
                    d.record().seconds(),
                    d.record().files(),
                    d.record().bytes(),
                    true,
                    List.of(),
                    d.record().signature());
            assertThat(forged.verify(repo.keys().verifyingKey())).isFalse();
            assertThat(new Drill(repo, Progress.SILENT).list()).hasSize(1);
        }
    }

    @Test
    void diff_lists_added_removed_and_changed_files() throws Exception {
        Path source = SampleFiles.clinic(tmp.resolve("source"), 24);
        try (Repository repo = Repository.init(new LocalBackend(tmp.resolve("repo")), ADMIN, 0)) {
            String first = new BackupRun(repo, Progress.SILENT)
                    .run(BackupRun.Options.of(List.of(source), "documents"))
                    .name();
            Files.writeString(source.resolve("documents/letter-0.txt"), "changed");
            Files.delete(source.resolve("documents/letter-1.txt"));
            Files.writeString(source.resolve("documents/new.txt"), "new");
            String second = new BackupRun(repo, Progress.SILENT)
                    .run(BackupRun.Options.of(List.of(source), "documents"))
                    .name();
            assertThat(new Diff(repo).between(first.substring(0, 8), second.substring(0, 8)))
                    .extracting(c -> c.kind() + " " + c.path())
                    .containsExactly(
                            "M source/documents/letter-0.txt",
                            "- source/documents/letter-1.txt",
                            "+ source/documents/new.txt");
        }
    }
}
