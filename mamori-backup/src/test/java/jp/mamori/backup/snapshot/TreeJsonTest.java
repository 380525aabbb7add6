package jp.mamori.backup.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jp.mamori.backup.repository.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The streaming tree reader and writer agree byte for byte with the general JSON mapper. */
class TreeJsonTest {

    @Property(tries = 300)
    void writes_the_mappers_bytes_and_reads_them_back(@ForAll("trees") Tree tree) {
        byte[] streamed = TreeJson.write(Json.MAPPER, tree);
        assertThat(new String(streamed, StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.write(tree), StandardCharsets.UTF_8));
        assertThat(TreeJson.read(Json.MAPPER, streamed)).isEqualTo(tree);
        assertThat(Json.MAPPER.readValue(streamed, Tree.class)).isEqualTo(tree);
    }

    @Test
    void skips_unknown_fields_and_reads_missing_strings_as_null() {
        String json = "{\"later\":{\"x\":[1,2]},\"nodes\":[{\"name\":\"a\",\"type\":\"file\",\"added\":[{}],"
                + "\"mode\":420,\"mtime\":1,\"ctime\":2,\"inode\":3,\"size\":4,"
                + "\"content\":[\"00\"],\"entropy\":7.5,\"dir\":false,\"file\":true}]}";
        Tree tree = TreeJson.read(Json.MAPPER, json.getBytes(StandardCharsets.UTF_8));
        assertThat(tree).isEqualTo(Json.MAPPER.readValue(json, Tree.class));
        assertThat(tree.nodes().get(0).content()).containsExactly("00");
        assertThat(tree.nodes().get(0).subtree()).isNull();
    }

    @Test
    void refuses_what_is_not_a_tree() {
        for (String bad : List.of(
                "",
                "[]",
                "{\"nodes\":{}}",
                "{\"nodes\":[{\"name\":1}]}",
                "{\"nodes\":[{\"size\":\"big\"}]}",
                "{\"nodes\":[{\"mode\":null}]}",
                "{\"nodes\":[{\"name\":\"a\",\"type\":\"file\",\"mode\":1,\"mtime\":1,\"ctime\":1,\"inode\":1,\"size\":1}]}",
                "{\"nodes\":[{\"size\":99999999999999999999999}]}",
                "{\"nodes\":[{\"content\":[null]}]}",
                "{\"nodes\":[]} {}",
                "{\"nodes\":[",
                "{\"nodes\":[{\"name\":\"a\"")) {
            assertThatThrownBy(() -> TreeJson.read(Json.MAPPER, bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Provide
    Arbitrary<Tree> trees() {
        Arbitrary<String> names = Arbitraries.strings().ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> optional = Arbitraries.strings().ofMaxLength(8).injectNull(0.4);
        Arbitrary<List<String>> content = Arbitraries.strings()
                .withChars("0123456789abcdef")
                .ofLength(64)
                .list()
                .ofMaxSize(4)
                .injectNull(0.3);
        Arbitrary<Node> node = Combinators.combine(
                        names,
                        Arbitraries.of(Node.FILE, Node.DIR, Node.SYMLINK),
                        Arbitraries.integers().between(-1, 07777),
                        Arbitraries.longs(),
                        Arbitraries.longs().greaterOrEqual(0),
                        Arbitraries.longs().greaterOrEqual(0),
                        Arbitraries.longs().greaterOrEqual(0),
                        optional)
                .flatAs((name, type, mode, mtime, ctime, inode, size, dos) -> Combinators.combine(
                                optional,
                                content,
                                optional,
                                Arbitraries.doubles().between(0, 8).injectDuplicates(0.1))
                        .as((link, ids, subtree, entropy) -> new Node(
                                name, type, mode, mtime, ctime, inode, size, dos, link, ids, subtree, entropy)));
        return node.list().ofMaxSize(6).map(list -> new Tree(new ArrayList<>(list)));
    }
}
