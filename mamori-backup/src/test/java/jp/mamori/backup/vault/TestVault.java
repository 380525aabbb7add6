package jp.mamori.backup.vault;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A real vault on a free loopback port with a temporary root, a clock the test can move, and its tokens. */
final class TestVault implements Closeable {

    /** A clock that stands still until the test moves it. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2031-04-01T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final Path root;
    final MovableClock clock = new MovableClock();
    final VaultServer server;
    final VaultTokens.Issued append;
    final VaultTokens.Issued admin;

    TestVault(Path root, Duration lock, long maxObjectBytes) throws IOException {
        this.root = root;
        VaultTokens tokens = new VaultTokens(root);
        this.append = tokens.add(VaultTokens.Role.APPEND, "test clinic backup", clock.instant());
        this.admin = tokens.add(VaultTokens.Role.ADMIN, "test administrator", clock.instant());
        this.server = VaultServer.start(new VaultServer.Settings(
                root, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), lock, maxObjectBytes, 4, clock));
    }

    TestVault(Path root, Duration lock) throws IOException {
        this(root, lock, VaultServer.Settings.DEFAULT_MAX_OBJECT_BYTES);
    }

    HttpBackend appendClient() {
        return new HttpBackend(server.uri(), append.secret(), server.fingerprint());
    }

    HttpBackend adminClient() {
        return new HttpBackend(server.uri(), admin.secret(), server.fingerprint());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
