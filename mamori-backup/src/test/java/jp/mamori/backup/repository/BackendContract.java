package jp.mamori.backup.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What every backend must do; each backend's test extends this with a real backend behind it. */
public abstract class BackendContract {

    /** A backend with full (administrator) rights on an empty repository. */
    protected abstract Backend backend() throws Exception;

    private static final String NAME = "ab".repeat(32);

    @Test
    void stores_and_reads_back_objects_of_every_kind() throws Exception {
        Backend b = backend();
        for (ObjectKind kind : ObjectKind.values()) {
            String name = kind == ObjectKind.CONFIG ? "config" : NAME;
            byte[] content = ("content of " + kind).getBytes(StandardCharsets.UTF_8);
            b.create(kind, name, content, null);
            assertThat(b.read(kind, name)).isEqualTo(content);
            assertThat(b.exists(kind, name)).isTrue();
            assertThat(b.list(kind)).containsExactly(new Backend.StoredObject(name, content.length));
        }
    }

    @Test
    void never_overwrites_an_object() throws Exception {
        Backend b = backend();
        b.create(ObjectKind.SNAPSHOT, NAME, new byte[] {1}, null);
        assertThatThrownBy(() -> b.create(ObjectKind.SNAPSHOT, NAME, new byte[] {2}, null))
                .isInstanceOf(Backend.ObjectExistsException.class)
                .hasMessageContaining("snapshots/" + NAME);
        assertThat(b.read(ObjectKind.SNAPSHOT, NAME)).containsExactly(1);
    }

    @Test
    void reads_a_range_and_reports_a_truncated_object() throws Exception {
        Backend b = backend();
        byte[] content = new byte[1000];
        Arrays.fill(content, (byte) 7);
        content[500] = 9;
        b.create(ObjectKind.PACK, NAME, content, null);
        assertThat(b.read(ObjectKind.PACK, NAME, 500, 2)).containsExactly(9, 7);
        assertThatThrownBy(() -> b.read(ObjectKind.PACK, NAME, 990, 20)).hasMessageContaining(NAME);
    }

    @Test
    void names_a_missing_object() throws Exception {
        Backend b = backend();
        assertThatThrownBy(() -> b.read(ObjectKind.INDEX, NAME))
                .isInstanceOf(Backend.NoSuchObjectException.class)
                .hasMessageContaining("index/" + NAME);
        assertThat(b.exists(ObjectKind.INDEX, NAME)).isFalse();
        assertThat(b.list(ObjectKind.INDEX)).isEmpty();
    }

    @Test
    void refuses_names_that_could_escape_the_repository() throws Exception {
        Backend b = backend();
        assertThatThrownBy(() -> b.create(ObjectKind.PACK, "../../etc/passwd", new byte[1], null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletes_with_administrator_rights() throws Exception {
        Backend b = backend();
        b.create(ObjectKind.INDEX, NAME, new byte[] {1}, null);
        b.delete(ObjectKind.INDEX, NAME);
        assertThat(b.exists(ObjectKind.INDEX, NAME)).isFalse();
    }
}
