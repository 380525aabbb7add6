package jp.mamori.backup.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.mamori.backup.repository.Repository;
import jp.mamori.backup.snapshot.Node;
import jp.mamori.backup.snapshot.Tree;
import org.jspecify.annotations.Nullable;

/** What differs between two generations: files added ({@code +}), removed ({@code -}), changed ({@code M}). */
public final class Diff {

    public record Change(String kind, String path, long sizeBefore, long sizeAfter) {}

    private final Generations generations;

    public Diff(Repository repo) {
        this.generations = new Generations(repo);
    }

    public List<Change> between(String from, String to) throws IOException {
        Generations.Named a = generations.resolve(from);
        Generations.Named b = generations.resolve(to);
        List<Change> out = new ArrayList<>();
        compare(
                generations.tree(a.snapshot().tree()),
                generations.tree(b.snapshot().tree()),
                "",
                out);
        return out;
    }

    private void compare(@Nullable Tree a, @Nullable Tree b, String rel, List<Change> out) throws IOException {
        Map<String, Node> left = new TreeMap<>();
        Map<String, Node> right = new TreeMap<>();
        if (a != null) a.nodes().forEach(n -> left.put(n.name(), n));
        if (b != null) b.nodes().forEach(n -> right.put(n.name(), n));
        java.util.TreeSet<String> names = new java.util.TreeSet<>(left.keySet());
        names.addAll(right.keySet());
        for (String name : names) {
            Node x = left.get(name);
            Node y = right.get(name);
            String path = rel.isEmpty() ? name : rel + "/" + name;
            if (x != null && y != null && x.isDir() && y.isDir()) {
                if (!java.util.Objects.equals(x.subtree(), y.subtree())) {
                    compare(generations.tree(x.subtree()), generations.tree(y.subtree()), path, out);
                }
            } else if (x == null) {
                added(y, path, out, "+");
            } else if (y == null) {
                added(x, path, out, "-");
            } else if (!x.type().equals(y.type())) {
                added(x, path, out, "-");
                added(y, path, out, "+");
            } else if (!java.util.Objects.equals(x.content(), y.content())
                    || !java.util.Objects.equals(x.linkTarget(), y.linkTarget())) {
                out.add(new Change("M", path, x.size(), y.size()));
            }
        }
    }

    private void added(Node n, String path, List<Change> out, String kind) throws IOException {
        if (n.isDir()) {
            out.add(new Change(kind, path + "/", 0, 0));
            Tree t = generations.tree(n.subtree());
            for (Node c : t.nodes()) {
                added(c, path + "/" + c.name(), out, kind);
            }
        } else {
            out.add(new Change(kind, path, kind.equals("-") ? n.size() : 0, kind.equals("+") ? n.size() : 0));
        }
    }
}
