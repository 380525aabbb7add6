package jp.mamori.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import jp.mamori.backup.engine.BackupRun;
import jp.mamori.backup.engine.Drill;
import jp.mamori.backup.engine.Keys;
import jp.mamori.backup.engine.Progress;
import jp.mamori.backup.repository.KeyFile;
import jp.mamori.backup.repository.LocalBackend;
import jp.mamori.backup.repository.Repository;
import jp.mamori.server.ServerTest;
import jp.mamori.server.TestPager;
import jp.mamori.server.WebClient;
import jp.mamori.server.identity.IdentityFixtures;
import jp.mamori.server.identity.JobType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A real mamori-backup repository, made with the library the way a hospital's EHR server makes it,
 * watched by the server: registration with an append key, generations per dataset, the ransomware
 * guard's alarm announced, drills recorded with their signatures checked.
 */
class BackupMonitoringTest extends ServerTest {

    private static final String ADMIN_PASS = "repository admin passphrase (synthetic)";
    private static final String APPEND_PASS = "repository append passphrase (synthetic)";

    @TempDir
    static Path tmp;

    static Path repoDir;

    @Autowired
    IdentityFixtures fixtures;

    @Autowired
    BackupEvidence evidence;

    @BeforeAll
    static void aHospitalBacksUp() throws Exception {
        System.setProperty("mamori.backup.kdf.memory-kib", "1024");
        System.setProperty("mamori.backup.kdf.iterations", "1");
        repoDir = tmp.resolve("repo");
        Path docs = Files.createDirectories(tmp.resolve("documents"));
        Random r = new Random(5);
        for (int i = 0; i < 20; i++) {
            Files.writeString(docs.resolve("letter-" + i + ".txt"), ("紹介状 (synthetic) " + i + "\n").repeat(200));
        }
        try (Repository repo = Repository.init(new LocalBackend(repoDir), ADMIN_PASS.toCharArray(), 0)) {
            new Keys(repo).add(APPEND_PASS.toCharArray(), KeyFile.APPEND, "server");
            for (int day = 0; day < 3; day++) {
                Files.writeString(docs.resolve("day.txt"), "day " + day);
                new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(docs), "documents"));
            }
            new Drill(repo, Progress.SILENT).run("latest", tmp.resolve("sandbox"), false);
            // Then the documents are encrypted and renamed, and a note is left.
            try (Stream<Path> files = Files.list(docs)) {
                for (Path f : files.toList()) {
                    byte[] cipher = new byte[4096];
                    r.nextBytes(cipher);
                    Files.write(f.resolveSibling(f.getFileName() + ".encrypted"), cipher);
                    Files.delete(f);
                }
            }
            Files.writeString(docs.resolve("HOW_TO_DECRYPT.txt"), "synthetic note");
            var suspect = new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(docs), "documents"));
            assertThat(suspect.snapshot().suspect()).isTrue();
        } finally {
            System.clearProperty("mamori.backup.kdf.memory-kib");
            System.clearProperty("mamori.backup.kdf.iterations");
        }
    }

    @Test
    void an_administrator_registers_a_repository_and_sees_generations_the_alarm_and_the_drill() {
        var admin = fixtures.administrator();
        WebClient web = signIn(admin);
        web.get("/backup");
        web.post(
                "/backup/repositories",
                Map.of("name", "文書サーバー", "location", repoDir.toString(), "passphrase", APPEND_PASS));
        String page = web.last().body();
        assertThat(web.path()).isEqualTo("/backup");
        assertThat(page)
                .contains("文書サーバー")
                .contains("書き換え可能な保管先")
                .contains("ランサムウェアによる大量暗号化の疑いがある世代が 1 件")
                .contains("HOW_TO_DECRYPT.txt")
                .contains("成功（全データ一致）")
                .contains("class=\"mark suspect\"")
                .contains("class=\"mark ok\"")
                .doesNotContain(APPEND_PASS);

        var repo = evidence.repositories().stream()
                .filter(r -> r.name().equals("文書サーバー"))
                .findFirst()
                .orElseThrow();
        assertThat(repo.datasets()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo("documents");
            assertThat(d.generations()).isEqualTo(4);
        });
        assertThat(repo.lastDrill()).isNotNull();
        assertThat(repo.lastDrill().passed()).isTrue();
        assertThat(repo.lastDrill().signatureValid()).isTrue();
        assertThat(repo.locked()).isFalse();

        // The checklist's item 3-② now proposes an answer from these backups: not met, since the
        // repository is a plain folder the operational side could delete.
        web.get("/governance/checklist");
        assertThat(web.last().body()).contains("バックアップの条件を満たしていません").contains("削除不可の保管先 ×");

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestPager.received().stream()
                .anyMatch(m -> m.contains("backup_suspect") && m.contains("HOW_TO_DECRYPT.txt")));
        web.get("/");
        assertThat(web.last().body()).contains("ランサムウェアの疑いがある世代");

        // Checking again announces nothing twice.
        long before = TestPager.received().stream()
                .filter(m -> m.contains("backup_suspect"))
                .count();
        web.post("/backup/repositories/" + idOf("文書サーバー") + "/check", Map.of());
        assertThat(TestPager.received().stream()
                        .filter(m -> m.contains("backup_suspect"))
                        .count())
                .isEqualTo(before);
    }

    @Test
    void a_wrong_passphrase_registers_nothing_and_says_why() {
        WebClient web = signIn(fixtures.administrator());
        web.get("/backup");
        web.post(
                "/backup/repositories",
                Map.of("name", "間違い", "location", repoDir.toString(), "passphrase", "not the passphrase"));
        assertThat(web.last().body()).contains("登録できませんでした").contains("wrong passphrase");
        assertThat(evidence.repositories()).noneMatch(r -> r.name().equals("間違い"));
        web.post(
                "/backup/repositories",
                Map.of("name", "存在しない", "location", tmp.resolve("nowhere").toString(), "passphrase", APPEND_PASS));
        assertThat(web.last().body()).contains("no repository at");
    }

    @Test
    void an_auditor_reads_but_cannot_register() {
        var auditor = fixtures.user("bk-aud", JobType.IT, "AUDITOR");
        WebClient web = signIn(auditor);
        web.get("/backup");
        assertThat(web.last().statusCode()).isEqualTo(200);
        assertThat(web.last().body()).doesNotContain("register-repository");
        var answer = web.postWithoutFollowing(
                "/backup/repositories", Map.of("name", "x", "location", repoDir.toString(), "passphrase", APPEND_PASS));
        assertThat(answer.statusCode()).isEqualTo(403);
    }

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private long idOf(String name) {
        return jdbc.sql("SELECT id FROM backup_repository WHERE name = ?")
                .param(name)
                .query(Long.class)
                .single();
    }
}
