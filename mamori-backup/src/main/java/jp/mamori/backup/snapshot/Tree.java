package jp.mamori.backup.snapshot;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A directory: its entries sorted by name. Stored as a tree blob (JSON). */
public record Tree(List<Node> nodes) {

    public @Nullable Node find(String name) {
        int lo = 0, hi = nodes.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = nodes.get(mid).name().compareTo(name);
            if (c == 0) {
                return nodes.get(mid);
            } else if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }
}
