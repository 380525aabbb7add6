package jp.mamori.backup.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.mamori.backup.cli.Main;
import jp.mamori.backup.engine.BackupRun;
import jp.mamori.backup.engine.Check;
import jp.mamori.backup.engine.Forget;
import jp.mamori.backup.engine.Generations;
import jp.mamori.backup.engine.Progress;
import jp.mamori.backup.engine.Restore;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole engine against a running vault: a clinic's server backs up and restores with an append
 * token; with the same token — the credential an attacker on that server holds — nothing can be
 * forgotten, pruned or overwritten, whatever repository key is used; the vault's administrator can
 * only once the lock period has passed.
 */
class BackupThroughVaultTest {

    private static final char[] PASS = "vault repository passphrase (test)".toCharArray();

    @TempDir
    Path tmp;

    private TestVault vault;

    @AfterEach
    void stop() throws Exception {
        if (vault != null) {
            vault.close();
        }
    }

    private Path source() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("clinic"));
        for (int i = 0; i < 30; i++) {
            Files.writeString(src.resolve("result-" + i + ".hl7"), ("OBX|" + i + "|NM|TEST||" + i + "\r").repeat(300));
        }
        return src;
    }

    @Test
    void an_append_token_backs_up_and_restores_but_removes_nothing() throws Exception {
        vault = new TestVault(tmp.resolve("vault"), Duration.ofDays(30));
        Path src = source();
        try (Repository repo = Repository.init(vault.appendClient(), PASS, 0)) {
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(src), "documents"));
            Files.writeString(src.resolve("result-0.hl7"), "changed");
            new BackupRun(repo, Progress.SILENT).run(BackupRun.Options.of(List.of(src), "documents"));
            var restored = new Restore(repo, Progress.SILENT).run(Restore.Options.of("latest", tmp.resolve("out")));
            assertThat(restored.errors()).isEmpty();
            assertThat(Files.readString(tmp.resolve("out/clinic/result-0.hl7"))).isEqualTo("changed");
            assertThat(new Check(repo, Progress.SILENT)
                            .run(Check.Options.readAll())
                            .errors())
                    .isEmpty();

            // The repository key is an admin key, but the vault token only appends.
            Forget.Policy dropAll = new Forget.Policy(1, Duration.ZERO, 0, 0, 0, Set.of());
            assertThatThrownBy(() -> new Forget(repo).apply(dropAll, Instant.now()))
                    .isInstanceOf(Backend.NotPermittedException.class);
            String pack = repo.backend().list(ObjectKind.PACK).get(0).name();
            assertThatThrownBy(() -> repo.backend().create(ObjectKind.PACK, pack, new byte[] {0}, null))
                    .isInstanceOf(Backend.ObjectExistsException.class);
            assertThat(new Generations(repo).list()).hasSize(2);
        }
        // The vault's administrator, on the vault's host, within the lock period: still refused.
        try (Repository admin = Repository.open(vault.adminClient(), PASS)) {
            Forget.Policy dropAll = new Forget.Policy(1, Duration.ZERO, 0, 0, 0, Set.of());
            assertThatThrownBy(() -> new Forget(admin).apply(dropAll, Instant.now()))
                    .isInstanceOf(Backend.NotPermittedException.class);
            vault.clock.advance(Duration.ofDays(31));
            new Forget(admin).apply(dropAll, Instant.now());
            assertThat(new Generations(admin).list()).hasSize(1);
        }
    }

    @Test
    void the_command_line_reaches_the_vault_by_its_url_token_and_fingerprint() throws Exception {
        vault = new TestVault(tmp.resolve("vault"), Duration.ofDays(30));
        Path src = source();
        Map<String, String> env = Map.of(
                "MAMORI_BACKUP_PASSWORD", new String(PASS),
                "MAMORI_VAULT_TOKEN", vault.append.secret(),
                "MAMORI_VAULT_FINGERPRINT", vault.server.fingerprint());
        String url = "vault:" + vault.server.uri();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8);
        Main main = new Main(p, p, env, new ByteArrayInputStream(new byte[0]));
        assertThat(main.run(List.of("init", "-r", url))).as(out.toString()).isZero();
        assertThat(main.run(List.of("backup", "-r", url, "--kind", "documents", src.toString())))
                .as(out.toString())
                .isZero();
        assertThat(main.run(List.of(
                        "forget",
                        "-r",
                        url,
                        "--keep-last",
                        "0",
                        "--keep-within",
                        "0d",
                        "--keep-daily",
                        "0",
                        "--keep-weekly",
                        "0",
                        "--keep-monthly",
                        "0")))
                .isEqualTo(Main.FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("mamori-backup forget:");
        assertThat(main.run(List.of("snapshots", "-r", url))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 generations");

        Map<String, String> wrongPin = Map.of(
                "MAMORI_BACKUP_PASSWORD", new String(PASS),
                "MAMORI_VAULT_TOKEN", vault.append.secret(),
                "MAMORI_VAULT_FINGERPRINT", "00".repeat(32));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(new Main(e, e, wrongPin, new ByteArrayInputStream(new byte[0])).run(List.of("snapshots", "-r", url)))
                .isEqualTo(Main.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).containsIgnoringCase("fingerprint");
    }
}
