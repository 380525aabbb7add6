package jp.mamori.backup.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.mamori.backup.repository.ObjectKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultCommandTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return VaultCommand.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void adds_shows_once_lists_and_revokes_tokens() throws Exception {
        assertThat(run("token", "add", "--root", root.toString(), "--append", "--label", "test clinic"))
                .isEqualTo(0);
        String secret = out().lines()
                .filter(l -> l.startsWith(VaultTokens.PREFIX))
                .findFirst()
                .orElseThrow();
        assertThat(Files.readString(root.resolve("tokens.json"))).doesNotContain(secret);

        assertThat(run("token", "add", "--root", root.toString(), "--admin")).isEqualTo(0);
        assertThat(run("token", "add", "--root", root.toString(), "--admin")).isEqualTo(0);
        assertThat(run("token", "list", "--root", root.toString())).isEqualTo(0);
        List<String> listed = out().lines().toList();
        assertThat(listed).hasSize(3).noneMatch(l -> l.contains(VaultTokens.PREFIX));
        // A second administrator token replaces the first.
        assertThat(listed.stream().filter(l -> l.contains("admin") && l.contains("active")))
                .hasSize(1);
        String appendId = listed.get(0).split("\\s+")[0];
        assertThat(listed.get(0)).contains("append").contains("active").contains("test clinic");

        assertThat(run("token", "revoke", "--root", root.toString(), appendId)).isEqualTo(0);
        assertThat(run("token", "list", "--root", root.toString())).isEqualTo(0);
        assertThat(out().lines().findFirst().orElseThrow()).contains("revoked");
        assertThat(run("token", "revoke", "--root", root.toString(), appendId)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no active token with id " + appendId);
    }

    @Test
    void explains_bad_arguments() {
        assertThat(run("token", "add", "--root", root.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("exactly one of --append or --admin");
        assertThat(run("serve")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--root DIR is required");
        assertThat(run("serve", "--root", root.toString(), "--lock-days", "thirty"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--lock-days wants a whole number");
        assertThat(run("serve", "--root", root.toString(), "--listen", "nowhere"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--listen wants HOST:PORT");
        assertThat(run("shred")).isEqualTo(2);
    }

    @Test
    void prints_the_same_fingerprint_the_vault_serves_with() throws Exception {
        assertThat(run("fingerprint", "--root", root.toString())).isEqualTo(0);
        String printed = out().strip();
        assertThat(printed).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        try (TestVault vault = new TestVault(root, Duration.ofDays(30))) {
            assertThat(vault.server.fingerprint()).isEqualTo(printed);
        }
    }

    @Test
    void serves_until_stopped_and_the_printed_fingerprint_lets_a_client_in() throws Exception {
        assertThat(run("token", "add", "--root", root.toString(), "--append")).isEqualTo(0);
        String secret = out().lines()
                .filter(l -> l.startsWith(VaultTokens.PREFIX))
                .findFirst()
                .orElseThrow();
        ByteArrayOutputStream served = new ByteArrayOutputStream();
        PrintStream servedOut = new PrintStream(served, true, StandardCharsets.UTF_8);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread vault = new Thread(() -> exit.set(VaultCommand.run(
                List.of("serve", "--root", root.toString(), "--listen", "127.0.0.1:0", "--lock-days", "7"),
                servedOut,
                servedOut)));
        vault.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!served.toString(StandardCharsets.UTF_8).contains("fingerprint")
                || served.toString(StandardCharsets.UTF_8).lines().count() < 4) {
            assertThat(System.nanoTime()).as("vault start").isLessThan(deadline);
            Thread.sleep(50);
        }
        List<String> lines = served.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(1)).contains("lock period: 7 days");
        Matcher port = Pattern.compile("https://127\\.0\\.0\\.1:(\\d+)/").matcher(lines.get(0));
        assertThat(port.find()).isTrue();
        String fingerprint = lines.get(3).strip();

        HttpBackend client = HttpBackend.fromUrl(
                "vault:https://127.0.0.1:" + port.group(1) + "/",
                Map.of(HttpBackend.TOKEN_ENV, secret, HttpBackend.FINGERPRINT_ENV, fingerprint));
        client.create(ObjectKind.DRILL, "0d".repeat(32), new byte[] {4, 2}, null);
        assertThat(client.read(ObjectKind.DRILL, "0d".repeat(32))).containsExactly(4, 2);

        vault.interrupt();
        vault.join(10_000);
        assertThat(exit.get()).isZero();
        assertThat(served.toString(StandardCharsets.UTF_8)).contains("vault stopped");
        assertThat(served.toString(StandardCharsets.UTF_8)).doesNotContain(secret);
    }

    @Test
    void says_which_address_is_taken_when_it_cannot_listen() throws Exception {
        try (TestVault running = new TestVault(root.resolve("first"), Duration.ofDays(30))) {
            String listen = "127.0.0.1:" + running.server.port();
            assertThat(run("serve", "--root", root.resolve("second").toString(), "--listen", listen))
                    .isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("cannot listen on 127.0.0.1:" + running.server.port());
        }
    }
}
