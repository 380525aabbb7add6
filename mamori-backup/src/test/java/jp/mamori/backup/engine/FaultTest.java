package jp.mamori.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.KeyFile;
import jp.mamori.backup.repository.LocalBackend;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens when things go wrong: each gives a clear error, names the damaged object, loses nothing stored. */
class FaultTest {

    private static final char[] PASS = "test passphrase one".toCharArray();

    @TempDir
    Path tmp;

    private Path repoDir;
    private Path source;

    private void backedUp() throws Exception {
        source = SampleFiles.clinic(tmp.resolve("source"), 7);
        repoDir = tmp.resolve("repo");
        try (Repository repo = Repository.init(new LocalBackend(repoDir), PASS, 0)) {
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "ssmix2"));
        }
    }

    private Repository open() throws Exception {
        return Repository.open(new LocalBackend(repoDir), PASS);
    }

    private Path biggestPack() throws Exception {
        try (var walk = Files.walk(repoDir.resolve("data"))) {
            return walk.filter(Files::isRegularFile)
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
                    .orElseThrow();
        }
    }

    @Test
    void a_wrong_passphrase_opens_nothing_and_says_so() throws Exception {
        backedUp();
        assertThatThrownBy(() -> Repository.open(new LocalBackend(repoDir), "not it".toCharArray()))
                .isInstanceOf(KeyFile.WrongPassphraseException.class)
                .hasMessageContaining("wrong passphrase");
    }

    @Test
    void a_flipped_bit_in_a_pack_is_named_by_check_and_refused_by_restore() throws Exception {
        backedUp();
        Path pack = biggestPack();
        try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
            f.seek(1000);
            int b = f.read();
            f.seek(1000);
            f.write(b ^ 0x10);
        }
        try (Repository repo = open()) {
            Check.Result r = new Check(repo, Progress.SILENT).run(Check.Options.readAll());
            assertThat(r.ok()).isFalse();
            assertThat(r.errors())
                    .anySatisfy(e -> assertThat(e).contains(pack.getFileName().toString()));
            Restore.Result restored =
                    new Restore(repo, Progress.SILENT).run(Restore.Options.of("latest", tmp.resolve("out")));
            assertThat(restored.ok()).isFalse();
            assertThat(restored.errors()).anySatisfy(e -> assertThat(e)
                    .contains(pack.getFileName().toString())
                    .contains("altered or damaged"));
        }
    }

    @Test
    void a_truncated_pack_is_named_by_check() throws Exception {
        backedUp();
        Path pack = biggestPack();
        try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        try (Repository repo = open()) {
            Check.Result r = new Check(repo, Progress.SILENT).run(Check.Options.structure());
            assertThat(r.errors()).anySatisfy(e -> assertThat(e)
                    .contains(pack.getFileName().toString())
                    .contains("truncated"));
        }
    }

    @Test
    void a_missing_index_is_reported_and_the_next_backup_stores_the_data_again() throws Exception {
        backedUp();
        try (var files = Files.list(repoDir.resolve("index"))) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        try (Repository repo = open()) {
            Check.Result r = new Check(repo, Progress.SILENT).run(Check.Options.structure());
            assertThat(r.ok()).isFalse();
            assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("is in no index"));
            assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("in no index"));
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "ssmix2"));
        }
        try (Repository repo = open()) {
            SampleFiles.assertRestoresTo(repo, source, tmp.resolve("out"));
        }
    }

    @Test
    void a_file_that_changes_while_it_is_read_is_reported() throws Exception {
        source = Files.createDirectories(tmp.resolve("source"));
        Path growing = source.resolve("growing.log");
        byte[] block = new byte[64 * 1024];
        new Random(1).nextBytes(block);
        for (int i = 0; i < 300; i++) {
            Files.write(
                    growing, block, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (var out = Files.newOutputStream(growing, java.nio.file.StandardOpenOption.APPEND)) {
                while (!stop.get()) {
                    out.write(block, 0, 100);
                    out.flush();
                }
            } catch (Exception ignored) {
                // the test ends
            }
        });
        writer.start();
        try (Repository repo = Repository.init(new LocalBackend(tmp.resolve("repo")), PASS, 0)) {
            var result = new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(source), "other"));
            assertThat(result.snapshot().stats().warnings())
                    .anySatisfy(w -> assertThat(w).contains("growing.log").contains("changed while it was read"));
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void a_full_disk_gives_a_clear_error_and_leaves_the_repository_consistent() throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount.toString())
                .redirectErrorStream(true)
                .start();
        assumeTrue(p.waitFor() == 0, "needs permission to mount a small tmpfs");
        try {
            source = SampleFiles.clinic(tmp.resolve("source"), 8);
            Path repoPath = mount.resolve("repo");
            try (Repository repo = Repository.init(new LocalBackend(repoPath), PASS, 0)) {
                assertThatThrownBy(() -> new BackupRun(repo, Progress.SILENT)
                                .run(BackupRun.Options.of(List.of(source), "other")))
                        .hasMessageContaining("No space left on device");
            }
            try (Repository repo = Repository.open(new LocalBackend(repoPath), PASS)) {
                Check.Result r = new Check(repo, Progress.SILENT).run(Check.Options.readAll());
                assertThat(r.errors()).isEmpty();
                assertThat(repo.backend().list(ObjectKind.SNAPSHOT)).isEmpty();
            }
            try (var tmpFiles = Files.list(repoPath.resolve("tmp"))) {
                assertThat(tmpFiles.toList())
                        .as("no half-written object is left behind")
                        .isEmpty();
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
        }
    }

    @Test
    void objects_are_never_overwritten_even_by_the_engine() throws Exception {
        backedUp();
        try (Repository repo = open()) {
            String name = repo.backend().list(ObjectKind.SNAPSHOT).get(0).name();
            assertThatThrownBy(() -> repo.backend().create(ObjectKind.SNAPSHOT, name, new byte[] {1}, null))
                    .isInstanceOf(Backend.ObjectExistsException.class);
        }
    }
}
