package jp.mamori.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of tests that need the whole server: a real HTTP port and the embedded PostgreSQL in a
 * fresh data folder. All subclasses share one running server (Spring caches the context), so each
 * test creates the accounts it needs under names of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClock.Config.class)
public abstract class ServerTest {

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        // Called once for each distinct test context, so each context gets a database of its own.
        Path dataDir = newDataDir();
        registry.add("mamori.data-dir", dataDir::toString);
        registry.add("mamori.facility-name", () -> "Test Hospital");
        registry.add("mamori.notify.webhooks[0]", TestPager::url);
    }

    protected String baseUrl() {
        return "http://localhost:" + port;
    }

    protected WebClient newClient() {
        return new WebClient(baseUrl());
    }

    /** A browser signed in with the user's password and current TOTP code. */
    protected WebClient signIn(jp.mamori.server.identity.IdentityFixtures.TestUser user) {
        WebClient web = newClient();
        web.get("/login");
        web.post("/login", java.util.Map.of("loginId", user.loginId(), "password", user.password()));
        web.post("/login/totp", java.util.Map.of("code", user.totp()));
        return web;
    }

    /** A browser on a registered terminal: it has presented the terminal's credential once. */
    protected WebClient terminalBrowser(String credential) {
        WebClient web = newClient();
        web.get("/terminal/activate");
        web.post("/terminal/activate", java.util.Map.of("credential", credential));
        return web;
    }

    /** An IC card tap with its PIN at the terminal's lock screen. */
    protected static void tap(WebClient web, String uid, String pin) {
        web.get("/terminal/lock");
        web.post("/terminal/unlock", java.util.Map.of("cardUid", uid, "pin", pin));
    }

    protected static Path newDataDir() {
        try {
            Path dir = Files.createTempDirectory("mamori-test-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
