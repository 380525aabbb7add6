package jp.mamori.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.mamori.backup.cli.Main;
import jp.mamori.backup.repository.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @TempDir
    Path tmp;

    private String out;

    private int run(Map<String, String> env, byte[] stdin, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(o, true, StandardCharsets.UTF_8);
        int code = new Main(p, p, env, new ByteArrayInputStream(stdin)).run(List.of(args));
        out = o.toString(StandardCharsets.UTF_8);
        return code;
    }

    private int run(String... args) {
        return run(Map.of("MAMORI_BACKUP_PASSWORD", "cli test passphrase"), new byte[0], args);
    }

    @Test
    void a_dump_piped_in_comes_back_out_and_json_describes_it() throws Exception {
        String repo = tmp.resolve("repo").toString();
        assertThat(run("init", "-r", repo)).isZero();
        byte[] dump =
                "-- synthetic dump\nCREATE TABLE t (a int);\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        assertThat(run(
                        Map.of("MAMORI_BACKUP_PASSWORD", "cli test passphrase"),
                        dump,
                        "backup",
                        "-r",
                        repo,
                        "--stdin",
                        "--stdin-filename",
                        "ehr.sql",
                        "--kind",
                        "ehr-db",
                        "--json"))
                .as(out)
                .isZero();
        var json = Json.MAPPER.readTree(out);
        assertThat(json.get("snapshot").get("kind").asString()).isEqualTo("ehr-db");
        assertThat(json.get("suspect").asBoolean()).isFalse();
        assertThat(run(
                        "restore",
                        "latest",
                        "-r",
                        repo,
                        "--target",
                        tmp.resolve("out").toString()))
                .isZero();
        assertThat(Files.readAllBytes(tmp.resolve("out/ehr.sql"))).isEqualTo(dump);
        assertThat(run("snapshots", "-r", repo)).isZero();
        assertThat(out).contains("ehr-db").contains("1 generations");
        assertThat(run("check", "-r", repo, "--read-data-subset", "1/2")).isZero();
        assertThat(out).contains("no errors were found");
    }

    @Test
    void wrong_usage_says_what_is_wrong() {
        String repo = tmp.resolve("repo").toString();
        assertThat(run("frobnicate")).isEqualTo(Main.USAGE);
        assertThat(out).contains("unknown command \"frobnicate\"");
        assertThat(run("backup", "-r", repo, "--kidn", "x", "/tmp")).isEqualTo(Main.USAGE);
        assertThat(out).contains("does not know the option --kidn");
        assertThat(run(Map.of(), new byte[0], "snapshots", "-r", repo)).isEqualTo(Main.USAGE);
        assertThat(out).contains("MAMORI_BACKUP_PASSWORD");
        assertThat(run("snapshots", "-r", repo)).isEqualTo(Main.FAILED);
        assertThat(out).contains("no repository at");
        assertThat(run("init", "-r", repo)).isZero();
        assertThat(run("init", "-r", repo)).isEqualTo(Main.FAILED);
        assertThat(out).contains("exists already");
        assertThat(run(
                        "restore",
                        "latest",
                        "-r",
                        repo,
                        "--target",
                        tmp.resolve("o").toString()))
                .isEqualTo(Main.FAILED);
        assertThat(out).contains("no generation yet");
        assertThat(run("restore", "latest", "-r", repo, "--target", "x", "--since", "yesterday"))
                .isEqualTo(Main.USAGE);
        assertThat(out).contains("--since wants a date");
        assertThat(run("check", "-r", repo, "--read-data-subset", "150%")).isEqualTo(Main.USAGE);
        assertThat(run(Map.of("MAMORI_BACKUP_PASSWORD", "wrong"), new byte[0], "snapshots", "-r", repo))
                .isEqualTo(Main.FAILED);
        assertThat(out).contains("wrong passphrase").doesNotContain("wrong\n");
    }
}
