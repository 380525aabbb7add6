package jp.mamori.backup.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.BackendContract;
import jp.mamori.backup.repository.ObjectKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;

/**
 * The S3 backend against S3Mock in its own process. S3Mock stores and returns Object Lock retention
 * but does not enforce it, so these tests show that every object carries its COMPLIANCE date and
 * that the date only moves later; that S3 then refuses early deletes is S3's part (see
 * docs/backup-vault.md).
 */
class S3BackendTest extends BackendContract {

    private static final Map<String, String> ENV = Map.of(
            "AWS_ACCESS_KEY_ID", "synthetic-test-access-key",
            "AWS_SECRET_ACCESS_KEY", "synthetic-test-secret-key",
            "AWS_REGION", "ap-northeast-1");
    private static final String GENERATION = "7c".repeat(32);
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static S3MockProcess s3mock;
    private static Path storeRoot;
    private static String notStarted = "";

    private S3Backend backend;
    private String bucket;

    @BeforeAll
    static void startS3Mock() throws Exception {
        storeRoot = Files.createTempDirectory("s3mock-store");
        StringBuilder why = new StringBuilder();
        s3mock = S3MockProcess.start(storeRoot, why);
        notStarted = why.toString();
        if (s3mock == null) {
            System.err.println("S3BackendTest skipped: " + notStarted);
        }
    }

    @AfterAll
    static void stopS3Mock() throws Exception {
        if (s3mock != null) {
            s3mock.close();
        }
        try (var files = Files.walk(storeRoot)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @AfterEach
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    /** A fresh bucket with Object Lock and versioning, and a backend on a prefix in it. */
    @Override
    protected Backend backend() {
        assumeTrue(s3mock != null, () -> "S3Mock could not start: " + notStarted);
        bucket = "mamori-test-" + BUCKETS.incrementAndGet();
        try (S3Client admin = S3Backend.client(s3mock.endpoint, ENV)) {
            admin.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
            admin.putBucketVersioning(
                    b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        }
        backend = S3Backend.fromUrl("s3:" + s3mock.endpoint + "/" + bucket + "/clinic-a/backup", ENV);
        return backend;
    }

    @Test
    void stores_each_object_with_a_compliance_retention_date_and_a_sha256_checksum() throws Exception {
        S3Backend b = (S3Backend) backend();
        Instant retain = Instant.parse("2031-04-01T00:00:00Z");
        byte[] content = "synthetic generation manifest".getBytes(StandardCharsets.UTF_8);
        b.create(ObjectKind.SNAPSHOT, GENERATION, content, retain);
        assertThat(b.retention(ObjectKind.SNAPSHOT, GENERATION)).isEqualTo(retain);

        try (S3Client admin = S3Backend.client(s3mock.endpoint, ENV)) {
            assertThat(admin.getObjectLockConfiguration(r -> r.bucket(bucket))
                            .objectLockConfiguration()
                            .objectLockEnabled())
                    .isEqualTo(ObjectLockEnabled.ENABLED);
            var retention = admin.getObjectRetention(
                            r -> r.bucket(bucket).key("clinic-a/backup/snapshots/" + GENERATION))
                    .retention();
            assertThat(retention.modeAsString()).isEqualTo("COMPLIANCE");
            var head = admin.headObject(r -> r.bucket(bucket)
                    .key("clinic-a/backup/snapshots/" + GENERATION)
                    .checksumMode(ChecksumMode.ENABLED));
            assertThat(head.checksumSHA256())
                    .isEqualTo(Base64.getEncoder()
                            .encodeToString(MessageDigest.getInstance("SHA-256").digest(content)));
        }
    }

    @Test
    void a_backup_locks_its_packs_and_generation_and_forget_extends_the_locks_of_what_it_keeps() throws Exception {
        S3Backend b = (S3Backend) backend();
        Path src = Files.createTempDirectory("s3-source");
        for (int i = 0; i < 10; i++) {
            Files.writeString(src.resolve("note-" + i + ".txt"), ("synthetic note " + i + "\n").repeat(500));
        }
        char[] pass = "s3 repository passphrase (test)".toCharArray();
        try (var repo = jp.mamori.backup.repository.Repository.init(b, pass, 30)) {
            var run = new jp.mamori.backup.engine.BackupRun(repo, jp.mamori.backup.engine.Progress.SILENT)
                    .run(jp.mamori.backup.engine.BackupRun.Options.of(java.util.List.of(src), "documents"));
            Instant locked = b.retention(ObjectKind.SNAPSHOT, run.name());
            assertThat(locked).isAfter(Instant.now().plus(java.time.Duration.ofDays(29)));
            String pack = b.list(ObjectKind.PACK).get(0).name();
            assertThat(b.retention(ObjectKind.PACK, pack)).isAfter(Instant.now().plus(java.time.Duration.ofDays(29)));

            // Ten days later the administrator's forget keeps the generation and moves its locks on.
            Instant later = Instant.now().plus(java.time.Duration.ofDays(10));
            new jp.mamori.backup.engine.Forget(repo).apply(jp.mamori.backup.engine.Forget.Policy.guideline(), later);
            assertThat(b.retention(ObjectKind.SNAPSHOT, run.name())).isAfter(locked.plus(java.time.Duration.ofDays(9)));
            assertThat(b.retention(ObjectKind.PACK, pack)).isAfter(locked.plus(java.time.Duration.ofDays(9)));
        }
    }

    @Test
    void retention_only_moves_later() throws Exception {
        S3Backend b = (S3Backend) backend();
        Instant retain = Instant.parse("2031-04-01T00:00:00Z");
        b.create(ObjectKind.SNAPSHOT, GENERATION, new byte[] {1, 2, 3}, retain);

        b.extendRetention(ObjectKind.SNAPSHOT, GENERATION, Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(b.retention(ObjectKind.SNAPSHOT, GENERATION)).isEqualTo(retain);

        Instant later = Instant.parse("2032-04-01T00:00:00Z");
        b.extendRetention(ObjectKind.SNAPSHOT, GENERATION, later);
        assertThat(b.retention(ObjectKind.SNAPSHOT, GENERATION)).isEqualTo(later);
    }

    @Test
    void an_object_without_a_retention_date_reports_none() throws Exception {
        S3Backend b = (S3Backend) backend();
        b.create(ObjectKind.INDEX, GENERATION, new byte[] {1}, null);
        assertThat(b.retention(ObjectKind.INDEX, GENERATION)).isNull();
        assertThatThrownBy(() -> b.retention(ObjectKind.INDEX, "00".repeat(32)))
                .isInstanceOf(Backend.NoSuchObjectException.class);
    }

    @Test
    void keys_follow_the_repository_layout_under_the_prefix() throws Exception {
        S3Backend b = (S3Backend) backend();
        b.create(ObjectKind.PACK, GENERATION, new byte[] {9}, null);
        b.create(ObjectKind.CONFIG, "config", new byte[] {8}, null);
        try (S3Client admin = S3Backend.client(s3mock.endpoint, ENV)) {
            assertThat(admin.listObjectsV2(r -> r.bucket(bucket)).contents())
                    .extracting(o -> o.key())
                    .containsExactlyInAnyOrder("clinic-a/backup/data/7c/" + GENERATION, "clinic-a/backup/config");
        }
    }

    @Test
    void explains_a_bad_repository_url() {
        assertThatThrownBy(() -> S3Backend.fromUrl("s3://bucket/prefix", ENV))
                .hasMessageContaining("s3:https://ENDPOINT/BUCKET/PREFIX");
        assertThatThrownBy(() -> S3Backend.fromUrl("s3:https://s3.example.test/", ENV))
                .hasMessageContaining("names no bucket");
        assertThatThrownBy(() -> S3Backend.fromUrl("vault:https://s3.example.test/b", ENV))
                .hasMessageContaining("starts with s3:");
    }

    @Test
    void an_unreachable_endpoint_gives_an_error_naming_it_and_the_object() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (S3Backend b = S3Backend.fromUrl("s3:http://127.0.0.1:" + closedPort + "/nowhere/repo", ENV)) {
            assertThatThrownBy(() -> b.read(ObjectKind.SNAPSHOT, GENERATION))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("s3 http://127.0.0.1:" + closedPort + "/nowhere/repo")
                    .hasMessageContaining("repo/snapshots/" + GENERATION)
                    .hasMessageContaining("could not be reached")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("synthetic-test-secret-key"));
        }
    }
}
