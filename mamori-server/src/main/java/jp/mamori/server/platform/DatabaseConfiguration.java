package jp.mamori.server.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database Mamori keeps everything in. With no {@code mamori.db.url} (environment
 * {@code MAMORI_DB_URL}) an embedded PostgreSQL is started inside the data folder, so that a
 * fresh machine needs nothing but a JDK; production points the URL at an operated PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(MamoriProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mamori");
        config.setMaximumPoolSize(20);
        // A request that cannot get a connection should fail with a clear error, not hang.
        config.setConnectionTimeout(10_000);
        // Batches of access events go to PostgreSQL as multi-row inserts.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        MamoriProperties.Db db = properties.db();
        if (db.external()) {
            config.setJdbcUrl(db.url());
            config.setUsername(db.username());
            config.setPassword(db.password());
            return new HikariDataSource(config);
        }
        EmbeddedPostgres pg =
                startEmbedded(properties.dataDir().resolve("postgres").toAbsolutePath());
        config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        return new WithEmbeddedServer(config, pg);
    }

    private static EmbeddedPostgres startEmbedded(Path dir) {
        try {
            Files.createDirectories(dir.getParent());
            log.info("Starting the embedded PostgreSQL in {}", dir);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // stopped by the data source after everything that uses it, not by a hook of its own
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "100")
                    // The embedded server's library defaults to synchronous_commit=off, which loses
                    // acknowledged commits when PostgreSQL dies; a data store of record must not.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("shared_buffers", "128MB")
                    .setLocaleConfig("locale", "C.UTF-8")
                    .setLocaleConfig("encoding", "UTF8")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("The embedded PostgreSQL did not start in " + dir, e);
        }
    }

    /** The pool closes first, then the server it connects to. */
    static final class WithEmbeddedServer extends HikariDataSource {
        private final @Nullable EmbeddedPostgres server;

        WithEmbeddedServer(HikariConfig config, EmbeddedPostgres server) {
            super(config);
            this.server = server;
        }

        @Override
        public void close() {
            super.close();
            try {
                if (server != null) {
                    server.close();
                }
            } catch (IOException e) {
                log.warn("The embedded PostgreSQL did not stop cleanly", e);
            }
        }
    }
}
