package jp.mamori.backup.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.ObjectKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the vault lets each credential do, tested against a running vault: the append token a
 * compromised hospital server would hold can add objects but not change or remove any.
 */
class VaultPermissionTest {

    private static final String PACK = "5a".repeat(32);
    private static final String GENERATION = "6b".repeat(32);
    private static final byte[] CONTENT = "synthetic pack bytes, no patient data".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    private TestVault vault;

    @AfterEach
    void stop() throws Exception {
        if (vault != null) {
            vault.close();
        }
    }

    @Test
    void an_append_token_creates_and_reads_but_cannot_overwrite() throws Exception {
        vault = new TestVault(root, Duration.ofDays(30));
        HttpBackend client = vault.appendClient();
        client.create(ObjectKind.PACK, PACK, CONTENT, null);
        assertThat(client.read(ObjectKind.PACK, PACK)).isEqualTo(CONTENT);
        assertThat(client.exists(ObjectKind.PACK, PACK)).isTrue();
        assertThat(client.list(ObjectKind.PACK)).containsExactly(new Backend.StoredObject(PACK, CONTENT.length));

        assertThatThrownBy(() ->
                        client.create(ObjectKind.PACK, PACK, "ransom note".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(Backend.ObjectExistsException.class);
        // Even the same bytes again are refused: a create never succeeds on an existing name at first try.
        assertThatThrownBy(() -> client.create(ObjectKind.PACK, PACK, CONTENT, null))
                .isInstanceOf(Backend.ObjectExistsException.class);
        assertThat(vault.adminClient().read(ObjectKind.PACK, PACK)).isEqualTo(CONTENT);
    }

    @Test
    void an_append_token_cannot_delete_or_extend_retention() throws Exception {
        vault = new TestVault(root, Duration.ZERO);
        HttpBackend client = vault.appendClient();
        client.create(ObjectKind.SNAPSHOT, GENERATION, CONTENT, null);

        assertThatThrownBy(() -> client.delete(ObjectKind.SNAPSHOT, GENERATION))
                .isInstanceOf(Backend.NotPermittedException.class)
                .hasMessageContaining("snapshots/" + GENERATION)
                .hasMessageContaining("append token may not delete");
        assertThatThrownBy(() ->
                        client.extendRetention(ObjectKind.SNAPSHOT, GENERATION, Instant.parse("2040-01-01T00:00:00Z")))
                .isInstanceOf(Backend.NotPermittedException.class)
                .hasMessageContaining("append token may not extend retention");
        assertThat(client.read(ObjectKind.SNAPSHOT, GENERATION)).isEqualTo(CONTENT);
        assertThat(client.retention(ObjectKind.SNAPSHOT, GENERATION)).isNull();
    }

    @Test
    void a_missing_or_wrong_token_gets_the_same_401() throws Exception {
        vault = new TestVault(root, Duration.ofDays(30));
        vault.appendClient().create(ObjectKind.PACK, PACK, CONTENT, null);

        HttpResponse<String> missing = rawClient()
                .send(
                        HttpRequest.newBuilder(vault.server.uri().resolve("data/" + PACK))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = rawClient()
                .send(
                        HttpRequest.newBuilder(vault.server.uri().resolve("data/" + PACK))
                                .header("Authorization", "Bearer " + VaultTokens.PREFIX + "A".repeat(43))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(missing.body()).isEqualTo("missing or wrong vault token");

        // A refused upload still gets its answer, not a reset connection.
        HttpResponse<String> refusedUpload = rawClient()
                .send(
                        HttpRequest.newBuilder(vault.server.uri().resolve("data/" + "7d".repeat(32)))
                                .header("Authorization", "Bearer " + VaultTokens.PREFIX + "B".repeat(43))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024]))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(refusedUpload.statusCode()).isEqualTo(401);

        HttpBackend guesser = new HttpBackend(vault.server.uri(), "not-a-token", vault.server.fingerprint());
        assertThatThrownBy(() -> guesser.read(ObjectKind.PACK, PACK))
                .hasMessageContaining("vault " + vault.server.uri())
                .hasMessageContaining("data/" + PACK)
                .hasMessageContaining("401");
    }

    @Test
    void a_revoked_token_is_refused_without_restarting_the_vault() throws Exception {
        vault = new TestVault(root, Duration.ofDays(30));
        HttpBackend client = vault.appendClient();
        client.create(ObjectKind.PACK, PACK, CONTENT, null);
        assertThat(new VaultTokens(root).revoke(vault.append.entry().id(), Instant.now()))
                .isTrue();
        assertThatThrownBy(() -> client.read(ObjectKind.PACK, PACK)).hasMessageContaining("401");
    }

    @Test
    void the_administrator_cannot_delete_an_object_younger_than_the_lock_period() throws Exception {
        vault = new TestVault(root, Duration.ofDays(30));
        HttpBackend admin = vault.adminClient();
        vault.appendClient().create(ObjectKind.SNAPSHOT, GENERATION, CONTENT, null);

        vault.clock.advance(Duration.ofDays(29));
        assertThatThrownBy(() -> admin.delete(ObjectKind.SNAPSHOT, GENERATION))
                .isInstanceOf(Backend.NotPermittedException.class)
                .hasMessageContaining("locked until 2031-05-01T09:00:00Z")
                .hasMessageContaining("lock period 30 days");
        assertThat(admin.exists(ObjectKind.SNAPSHOT, GENERATION)).isTrue();

        vault.clock.advance(Duration.ofDays(2));
        admin.delete(ObjectKind.SNAPSHOT, GENERATION);
        assertThat(admin.exists(ObjectKind.SNAPSHOT, GENERATION)).isFalse();
    }

    @Test
    void a_retention_date_holds_past_the_lock_period_and_only_moves_later() throws Exception {
        vault = new TestVault(root, Duration.ofDays(30));
        HttpBackend admin = vault.adminClient();
        Instant retain = Instant.parse("2031-07-01T00:00:00Z");
        vault.appendClient().create(ObjectKind.SNAPSHOT, GENERATION, CONTENT, retain);
        assertThat(admin.retention(ObjectKind.SNAPSHOT, GENERATION)).isEqualTo(retain);

        admin.extendRetention(ObjectKind.SNAPSHOT, GENERATION, Instant.parse("2031-05-01T00:00:00Z"));
        assertThat(admin.retention(ObjectKind.SNAPSHOT, GENERATION)).isEqualTo(retain);
        Instant later = Instant.parse("2031-08-01T00:00:00Z");
        admin.extendRetention(ObjectKind.SNAPSHOT, GENERATION, later);
        assertThat(admin.retention(ObjectKind.SNAPSHOT, GENERATION)).isEqualTo(later);

        vault.clock.advance(Duration.ofDays(100)); // 2031-07-10: past the lock period, before the retention
        assertThatThrownBy(() -> admin.delete(ObjectKind.SNAPSHOT, GENERATION))
                .isInstanceOf(Backend.NotPermittedException.class)
                .hasMessageContaining("retained until " + later);
        vault.clock.advance(Duration.ofDays(30));
        admin.delete(ObjectKind.SNAPSHOT, GENERATION);
    }

    @Test
    void every_request_is_logged_with_the_token_id_but_never_the_token() throws Exception {
        vault = new TestVault(root, Duration.ofDays(30));
        HttpBackend client = vault.appendClient();
        client.create(ObjectKind.PACK, PACK, CONTENT, null);
        client.read(ObjectKind.PACK, PACK);
        client.read(ObjectKind.PACK, PACK, 2, 5);
        client.list(ObjectKind.PACK);
        assertThatThrownBy(() -> client.delete(ObjectKind.PACK, PACK))
                .isInstanceOf(Backend.NotPermittedException.class);
        HttpBackend guesser = new HttpBackend(vault.server.uri(), "not-a-token", vault.server.fingerprint());
        assertThatThrownBy(() -> guesser.exists(ObjectKind.PACK, PACK)).hasMessageContaining("401");

        vault.close();
        List<String> lines = Files.readAllLines(root.resolve("requests.log"));
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0))
                .contains("\"source\":\"127.0.0.1\"")
                .contains("\"token\":\"" + vault.append.entry().id() + "\"")
                .contains("\"method\":\"PUT\"")
                .contains("\"path\":\"/data/" + PACK + "\"")
                .contains("\"status\":201")
                .contains("\"bytes\":" + CONTENT.length)
                .contains("\"ms\":");
        assertThat(lines.get(2)).contains("\"status\":206").contains("\"bytes\":5");
        assertThat(lines.get(4)).contains("\"method\":\"DELETE\"").contains("\"status\":403");
        assertThat(lines.get(5)).contains("\"token\":null").contains("\"status\":401");
        String all = String.join("\n", lines);
        assertThat(all).doesNotContain(vault.append.secret()).doesNotContain(VaultTokens.PREFIX);
        assertThat(Files.readString(root.resolve("tokens.json"))).doesNotContain(vault.append.secret());
    }

    @Test
    void the_client_refuses_a_vault_whose_certificate_is_not_the_pinned_one() throws Exception {
        vault = new TestVault(root, Duration.ofDays(30));
        String otherFingerprint = "AB:".repeat(31) + "AB";
        HttpBackend client = new HttpBackend(vault.server.uri(), vault.append.secret(), otherFingerprint);
        assertThatThrownBy(() -> client.create(ObjectKind.PACK, PACK, CONTENT, null))
                .hasMessageContaining("vault " + vault.server.uri())
                .hasMessageContaining("not the pinned " + otherFingerprint)
                .hasMessageContaining("refusing to connect");
        assertThat(vault.adminClient().exists(ObjectKind.PACK, PACK)).isFalse();
    }

    @Test
    void a_stopped_vault_gives_an_error_naming_the_vault_and_the_object() throws Exception {
        vault = new TestVault(root, Duration.ofDays(30));
        HttpBackend client = vault.appendClient();
        client.create(ObjectKind.PACK, PACK, CONTENT, null);
        vault.close();
        assertThatThrownBy(() -> client.read(ObjectKind.PACK, PACK))
                .hasMessageContaining("vault " + vault.server.uri())
                .hasMessageContaining("GET data/" + PACK)
                .hasMessageContaining("cannot be reached");
        assertThatThrownBy(() -> client.create(ObjectKind.SNAPSHOT, GENERATION, CONTENT, null))
                .hasMessageContaining("vault " + vault.server.uri())
                .hasMessageContaining("PUT snapshots/" + GENERATION);
        vault = null;
    }

    @Test
    void a_create_whose_answer_was_lost_is_retried_and_counts_as_done() throws Exception {
        vault = new TestVault(root, Duration.ofDays(30));
        Path record = root.resolve("records/data/" + PACK + ".json");
        try (DroppingProxy proxy = new DroppingProxy(vault.server.port(), () -> Files.exists(record))) {
            HttpBackend client = new HttpBackend(
                    URI.create("https://127.0.0.1:" + proxy.port() + "/"),
                    vault.append.secret(),
                    vault.server.fingerprint());
            client.create(ObjectKind.PACK, PACK, CONTENT, null);
            assertThat(proxy.connections()).isGreaterThanOrEqualTo(2);
            assertThat(client.read(ObjectKind.PACK, PACK)).isEqualTo(CONTENT);
        }
        // Two PUTs reached the vault: the first stored the object, the retry found it with the same hash.
        List<String> puts = Files.readAllLines(root.resolve("requests.log")).stream()
                .filter(l -> l.contains("\"PUT\""))
                .toList();
        assertThat(puts).hasSize(2);
        assertThat(puts.get(0)).contains("\"status\":201");
        assertThat(puts.get(1)).contains("\"status\":409");
    }

    @Test
    void refuses_an_object_over_the_size_limit_and_a_body_that_does_not_match_its_hash() throws Exception {
        vault = new TestVault(root, Duration.ofDays(30), 1024);
        HttpBackend client = vault.appendClient();
        assertThatThrownBy(() -> client.create(ObjectKind.PACK, PACK, new byte[2048], null))
                .hasMessageContaining("413")
                .hasMessageContaining("up to 1024 bytes");

        HttpResponse<String> r = rawClient()
                .send(
                        HttpRequest.newBuilder(vault.server.uri().resolve("data/" + PACK))
                                .header("Authorization", "Bearer " + vault.append.secret())
                                .header(VaultServer.CONTENT_HASH, "00".repeat(32))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(CONTENT))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("does not match");
        assertThat(client.exists(ObjectKind.PACK, PACK)).isFalse();
    }

    @Test
    void the_repository_url_needs_a_token_and_a_fingerprint() throws Exception {
        vault = new TestVault(root, Duration.ofDays(30));
        String url = "vault:" + vault.server.uri();
        assertThatThrownBy(
                        () -> HttpBackend.fromUrl(url, Map.of(HttpBackend.FINGERPRINT_ENV, vault.server.fingerprint())))
                .hasMessageContaining("MAMORI_VAULT_TOKEN");
        assertThatThrownBy(() -> HttpBackend.fromUrl(url, Map.of(HttpBackend.TOKEN_ENV, vault.append.secret())))
                .hasMessageContaining("MAMORI_VAULT_FINGERPRINT")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(vault.append.secret()));
        assertThatThrownBy(() -> HttpBackend.fromUrl(
                        url, Map.of(HttpBackend.TOKEN_ENV, "x", HttpBackend.FINGERPRINT_ENV, "12:34")))
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> HttpBackend.fromUrl(
                        "vault:http://127.0.0.1:" + vault.server.port() + "/",
                        Map.of(HttpBackend.TOKEN_ENV, "x", HttpBackend.FINGERPRINT_ENV, vault.server.fingerprint())))
                .hasMessageContaining("https://HOST:PORT/");

        Path tokenFile = root.resolve("client-token");
        Files.writeString(tokenFile, vault.append.secret() + "\n");
        HttpBackend client = HttpBackend.fromUrl(
                url,
                Map.of(
                        HttpBackend.TOKEN_FILE_ENV, tokenFile.toString(),
                        // A fingerprint as a person may type it: lower case, no colons.
                        HttpBackend.FINGERPRINT_ENV,
                                vault.server.fingerprint().replace(":", "").toLowerCase()));
        client.create(ObjectKind.KEY, PACK, CONTENT, null);
        assertThat(client.location()).isEqualTo("vault " + vault.server.uri()).doesNotContain(vault.append.secret());
    }

    /** An HTTP client that trusts only the test vault's pinned certificate, for requests the backend never makes. */
    private HttpClient rawClient() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(
                null,
                new TrustManager[] {new PinnedCertificateTrust(vault.server.fingerprint(), "test")},
                new SecureRandom());
        return HttpClient.newBuilder().sslContext(tls).build();
    }
}
