package jp.mamori.backup.vault;

import java.nio.file.Path;
import java.time.Duration;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.BackendContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The vault client against a running vault, with the administrator token from loopback and no lock period. */
class HttpBackendTest extends BackendContract {

    @TempDir
    Path root;

    private TestVault vault;

    @Override
    protected Backend backend() throws Exception {
        vault = new TestVault(root, Duration.ZERO);
        return vault.adminClient();
    }

    @AfterEach
    void stop() throws Exception {
        if (vault != null) {
            vault.close();
        }
    }
}
