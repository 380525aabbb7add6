package jp.mamori.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.LocalBackend;

/** Opens a backend from a repository location: a folder, {@code vault:https://…} or {@code s3:https://…}. */
public final class Backends {

    private Backends() {}

    /**
     * @param env where credentials for the vault or S3 come from ({@code MAMORI_VAULT_TOKEN}, the
     *     AWS variables …), normally the process environment
     */
    public static Backend open(String location, Map<String, String> env) throws IOException {
        if (location.startsWith("vault:")) {
            return jp.mamori.backup.vault.HttpBackend.fromUrl(location, env);
        }
        if (location.startsWith("s3:")) {
            return jp.mamori.backup.s3.S3Backend.fromUrl(location, env);
        }
        if (location.contains("://")) {
            throw new IOException("unknown repository location " + location
                    + "; use a folder, vault:https://host:port/ or s3:https://endpoint/bucket/prefix");
        }
        return new LocalBackend(Path.of(location));
    }
}
