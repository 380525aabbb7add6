package jp.mamori.server.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import jp.mamori.server.audit.SecurityEvent;
import jp.mamori.server.audit.SecurityEventType;
import jp.mamori.server.audit.SecurityEvents;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The first administrator is created with a one-time setup token that the server prints on its
 * console at first start; there is no default password. The token works once.
 */
@Service
class FirstRunSetup {

    private final JdbcClient jdbc;
    private final AccountStore accounts;
    private final PasswordService passwords;
    private final SecurityEvents events;
    private volatile boolean open;

    FirstRunSetup(JdbcClient jdbc, AccountStore accounts, PasswordService passwords, SecurityEvents events) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.passwords = passwords;
        this.events = events;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(10)
    void announce(ApplicationReadyEvent ready) {
        open = !accounts.anyAdministrator();
        if (!open) {
            return;
        }
        String token = issueToken();
        String port = ready.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
        // Printed on the console only, never to the log files: whoever can read the console owns the server.
        System.out.printf(
                "%n=== Mamori 初期設定 / first-run setup ===%n"
                        + "  http://localhost:%s/setup を開き、次のセットアップトークンを入力してください。%n"
                        + "  Open http://localhost:%s/setup and enter this one-time setup token:%n%n      %s%n%n",
                port, port, token);
    }

    /** A new one-time token; any earlier one stops working. */
    String issueToken() {
        String token = newToken();
        jdbc.sql(
                        """
                        INSERT INTO setup_token (id, token_hash) VALUES (1, ?)
                        ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, created_at = now(), used_at = NULL""")
                .param(digest(token))
                .update();
        return token;
    }

    boolean isOpen() {
        return open;
    }

    /** Creates the first administrator if the token is right and unused; false otherwise. */
    @Transactional
    boolean complete(String token, String loginId, String displayName, String password) {
        int claimed = jdbc.sql(
                        "UPDATE setup_token SET used_at = now() WHERE id = 1 AND used_at IS NULL AND token_hash = ?")
                .param(digest(token.strip()))
                .update();
        if (claimed != 1 || accounts.anyAdministrator()) {
            events.record(SecurityEvent.failure(SecurityEventType.SETUP).build());
            return false;
        }
        long id = accounts.create(new AccountStore.NewAccount(
                loginId.strip(), displayName.strip(), AccountKind.STAFF, JobType.IT, null, null, null));
        accounts.setRoles(id, Set.of("SYSTEM_ADMIN"));
        passwords.change(accounts.byId(id).orElseThrow(), password, true);
        events.record(SecurityEvent.success(SecurityEventType.SETUP)
                .account(id, loginId.strip())
                .build());
        open = false;
        return true;
    }

    private static String newToken() {
        byte[] b = new byte[15];
        new SecureRandom().nextBytes(b);
        return Base32.encode(b).replaceAll("(.{6})(?!$)", "$1-");
    }

    private static String digest(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(token.replace("-", "").toUpperCase().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
