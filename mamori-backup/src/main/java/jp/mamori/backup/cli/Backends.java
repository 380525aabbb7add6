package jp.mamori.backup.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.LocalBackend;

/** Opens a backend from a repository location: a folder, {@code vault:https://…} or {@code s3:https://…}. */
final class Backends {

    private Backends() {}

    static Backend open(String location, Map<String, String> env) throws IOException {
        if (location.startsWith("vault:") || location.startsWith("s3:")) {
            throw new IOException(
                    "this build cannot reach " + location.substring(0, location.indexOf(':')) + " repositories yet");
        }
        if (location.contains("://")) {
            throw new IOException("unknown repository location " + location
                    + "; use a folder, vault:https://host:port/ or s3:https://endpoint/bucket/prefix");
        }
        return new LocalBackend(Path.of(location));
    }
}
