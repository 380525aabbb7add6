package jp.mamori.server.platform;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code mamori.*}.
 *
 * @param dataDir folder for the embedded database, keys and other state
 * @param demo seed a synthetic hospital on an empty database
 * @param db an external PostgreSQL; when {@code url} is empty the embedded one is started
 * @param facilityName the institution's name as shown on screens and reports
 */
@ConfigurationProperties("mamori")
public record MamoriProperties(
        @DefaultValue("./mamori-data") Path dataDir,
        @DefaultValue("false") boolean demo,
        @DefaultValue Db db,
        @DefaultValue("Mamori") String facilityName,
        @DefaultValue Sessions sessions) {

    public record Db(
            @DefaultValue("") String url, @DefaultValue("") String username, @DefaultValue("") String password) {
        public boolean external() {
            return !url.isBlank();
        }
    }

    /**
     * @param idleLock how long a shared terminal stays unlocked without input
     * @param absolute the longest a sign-in lasts, whatever the activity
     */
    public record Sessions(@DefaultValue("5m") Duration idleLock, @DefaultValue("12h") Duration absolute) {}
}
