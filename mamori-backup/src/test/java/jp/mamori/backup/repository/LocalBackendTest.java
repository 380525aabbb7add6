package jp.mamori.backup.repository;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalBackendTest extends BackendContract {

    @TempDir
    Path folder;

    @Override
    protected Backend backend() {
        return new LocalBackend(folder);
    }
}
