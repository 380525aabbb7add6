package jp.mamori.backup.snapshot;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes tree blobs with the streaming parser and generator. A generation of an SS-MIX2
 * store holds a tree per folder, tens of thousands of them, and binding each through the general
 * record mapper cost more than reading, opening and checking it. The bytes written are exactly the
 * mapper's (fields in declaration order, nulls written): a tree's ID is the keyed hash of these
 * bytes, so an unchanged folder keeps its ID across versions. Unknown fields are skipped, as the
 * format allows (trees written before this reader carry {@code dir} and {@code file} booleans); a
 * missing string reads as null, and a missing or null number is refused, as with the mapper.
 */
public final class TreeJson {

    private static final List<String> NUMBERS = List.of("mode", "mtime", "ctime", "inode", "size", "entropy");

    private TreeJson() {}

    public static byte[] write(JsonMapper mapper, Tree tree) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(256 + 192 * tree.nodes().size());
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeName("nodes");
            g.writeStartArray();
            for (Node n : tree.nodes()) {
                g.writeStartObject();
                g.writeName("name");
                g.writeString(n.name());
                g.writeName("type");
                g.writeString(n.type());
                g.writeName("mode");
                g.writeNumber(n.mode());
                g.writeName("mtime");
                g.writeNumber(n.mtime());
                g.writeName("ctime");
                g.writeNumber(n.ctime());
                g.writeName("inode");
                g.writeNumber(n.inode());
                g.writeName("size");
                g.writeNumber(n.size());
                g.writeName("dosAttributes");
                writeNullable(g, n.dosAttributes());
                g.writeName("linkTarget");
                writeNullable(g, n.linkTarget());
                g.writeName("content");
                if (n.content() == null) {
                    g.writeNull();
                } else {
                    g.writeStartArray();
                    for (String id : n.content()) {
                        g.writeString(id);
                    }
                    g.writeEndArray();
                }
                g.writeName("subtree");
                writeNullable(g, n.subtree());
                g.writeName("entropy");
                g.writeNumber(n.entropy());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeNullable(JsonGenerator g, @Nullable String s) {
        if (s == null) {
            g.writeNull();
        } else {
            g.writeString(s);
        }
    }

    /** @throws IllegalArgumentException if the bytes are not a tree */
    public static Tree read(JsonMapper mapper, byte[] json) {
        try (JsonParser p = mapper.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "a tree object");
            List<Node> nodes = null;
            for (String field = p.nextName(); field != null; field = p.nextName()) {
                JsonToken t = p.nextToken();
                if (field.equals("nodes") && t == JsonToken.START_ARRAY) {
                    nodes = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        nodes.add(node(p));
                    }
                } else if (field.equals("nodes") && t != JsonToken.VALUE_NULL) {
                    throw new IllegalArgumentException("\"nodes\" is not an array");
                } else {
                    p.skipChildren();
                }
            }
            expect(p.currentToken(), JsonToken.END_OBJECT, "the end of the tree object");
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("data after the tree object");
            }
            return new Tree(nodes == null ? List.of() : nodes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    private static Node node(JsonParser p) {
        expect(p.currentToken(), JsonToken.START_OBJECT, "a node object");
        String name = null, type = null, dos = null, link = null, subtree = null;
        int mode = 0;
        long mtime = 0, ctime = 0, inode = 0, size = 0;
        double entropy = 0;
        List<String> content = null;
        int seen = 0;
        for (String field = p.nextName(); field != null; field = p.nextName()) {
            JsonToken t = p.nextToken();
            int bit = NUMBERS.indexOf(field);
            if (bit >= 0) {
                seen |= 1 << bit;
            }
            switch (field) {
                case "name" -> name = string(p, t, field);
                case "type" -> type = string(p, t, field);
                case "mode" -> mode = number(p, t, field).intValue();
                case "mtime" -> mtime = number(p, t, field).longValue();
                case "ctime" -> ctime = number(p, t, field).longValue();
                case "inode" -> inode = number(p, t, field).longValue();
                case "size" -> size = number(p, t, field).longValue();
                case "dosAttributes" -> dos = string(p, t, field);
                case "linkTarget" -> link = string(p, t, field);
                case "subtree" -> subtree = string(p, t, field);
                case "entropy" -> entropy = number(p, t, field).doubleValue();
                case "content" -> {
                    if (t == JsonToken.START_ARRAY) {
                        content = new ArrayList<>();
                        for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
                            String id = string(p, x, "content");
                            if (id == null) {
                                throw new IllegalArgumentException("\"content\" holds a null");
                            }
                            content.add(id);
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        throw new IllegalArgumentException("\"content\" is not an array");
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (seen != (1 << NUMBERS.size()) - 1) {
            for (int i = 0; i < NUMBERS.size(); i++) {
                if ((seen & (1 << i)) == 0) {
                    throw new IllegalArgumentException("a node lacks \"" + NUMBERS.get(i) + "\"");
                }
            }
        }
        return new Node(name, type, mode, mtime, ctime, inode, size, dos, link, content, subtree, entropy);
    }

    private static @Nullable String string(JsonParser p, JsonToken t, String field) {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("\"" + field + "\" is not a string");
        }
        return p.getString();
    }

    private static Number number(JsonParser p, JsonToken t, String field) {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        throw new IllegalArgumentException("\"" + field + "\" is not a number");
    }

    private static void expect(@Nullable JsonToken actual, JsonToken wanted, String what) {
        if (actual != wanted) {
            throw new IllegalArgumentException("expected " + what + ", found " + actual);
        }
    }
}
