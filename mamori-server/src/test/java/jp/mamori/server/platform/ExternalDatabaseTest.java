package jp.mamori.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import jp.mamori.server.WebClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Production points {@code MAMORI_DB_URL} at an operated PostgreSQL. Here a separately started
 * PostgreSQL server plays that part; Mamori must use it and start no database of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExternalDatabaseTest {

    private static EmbeddedPostgres operated;
    private static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void external(DynamicPropertyRegistry registry) throws Exception {
        operated = EmbeddedPostgres.builder().start();
        try (var c = operated.getPostgresDatabase().getConnection();
                var s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("CREATE ROLE mamori LOGIN PASSWORD 'test-only-db-password'");
            s.execute("CREATE DATABASE mamori OWNER mamori");
        }
        dataDir = Files.createTempDirectory("mamori-external-");
        registry.add("mamori.data-dir", dataDir::toString);
        registry.add("mamori.db.url", () -> "jdbc:postgresql://localhost:" + operated.getPort() + "/mamori");
        registry.add("mamori.db.username", () -> "mamori");
        registry.add("mamori.db.password", () -> "test-only-db-password");
    }

    // The stand-in server stops with the JVM, after the application (its own shutdown hook).

    @Test
    void uses_the_configured_postgresql_and_starts_none_of_its_own() {
        assertThat(jdbc.sql("SELECT current_database() || '/' || current_user")
                        .query(String.class)
                        .single())
                .isEqualTo("mamori/mamori");
        assertThat(jdbc.sql("SELECT count(*) FROM role").query(Integer.class).single())
                .isPositive();
        assertThat(dataDir.resolve("postgres")).doesNotExist();
        WebClient web = new WebClient("http://localhost:" + port);
        assertThat(web.get("/login").statusCode()).isEqualTo(200);
    }
}
