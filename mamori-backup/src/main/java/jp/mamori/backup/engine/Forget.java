package jp.mamori.backup.engine;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.Repository;
import jp.mamori.backup.snapshot.Snapshot;
import org.jspecify.annotations.Nullable;

/**
 * Decides which generations to keep, per group of the same host, paths and dataset kind, and
 * removes the rest. The default follows the guideline's Q&A: EHR 5 generations, other systems 3,
 * plus daily, weekly and monthly tiers. Two rules stop an attacker who can only add generations:
 * {@code keepWithin} counts time back from this machine's clock, not generations, so pushing fake new
 * generations cannot push the real ones out; and while a group holds a generation the ransomware
 * guard marked suspect, nothing older than it is removed, whatever the policy says.
 */
public final class Forget {

    /**
     * @param keepLast generations to keep per group, or null for the guideline's count for the kind
     * @param keepWithin keep every generation younger than this
     * @param accepted suspect generations an administrator has examined and released
     */
    public record Policy(
            @Nullable Integer keepLast,
            Duration keepWithin,
            int keepDaily,
            int keepWeekly,
            int keepMonthly,
            Set<String> accepted) {

        public static Policy guideline() {
            return new Policy(null, Duration.ofDays(7), 7, 4, 12, Set.of());
        }

        int lastFor(String kind) {
            if (keepLast != null) {
                return keepLast;
            }
            return "ehr-db".equals(kind) ? 5 : 3;
        }
    }

    /**
     * A generation's fate.
     *
     * @param reasons why it is kept, or empty if it goes
     */
    public record Decision(Generations.Named generation, boolean keep, List<String> reasons) {}

    private final Repository repo;

    public Forget(Repository repo) {
        this.repo = repo;
    }

    /** What the policy keeps and removes, without removing anything. */
    public List<Decision> plan(Policy policy, Instant now) throws IOException {
        Map<String, List<Generations.Named>> groups = new LinkedHashMap<>();
        for (Generations.Named g : new Generations(repo).list()) {
            Snapshot s = g.snapshot();
            String key = s.host() + "\u0000" + s.kind() + "\u0000"
                    + String.join("\u0000", s.paths().stream().sorted().toList());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(g);
        }
        List<Decision> out = new ArrayList<>();
        for (List<Generations.Named> group : groups.values()) {
            out.addAll(decide(group, policy, now));
        }
        return out;
    }

    static List<Decision> decide(List<Generations.Named> oldestFirst, Policy policy, Instant now) {
        List<Generations.Named> newest = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(newest);
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (Generations.Named g : newest) {
            reasons.put(g.name(), new ArrayList<>());
        }
        String kind = newest.isEmpty() ? "other" : newest.get(0).snapshot().kind();
        int last = policy.lastFor(kind);
        for (int i = 0; i < Math.min(last, newest.size()); i++) {
            reasons.get(newest.get(i).name()).add("last " + last);
        }
        for (Generations.Named g : newest) {
            if (!g.snapshot().time().isBefore(now.minus(policy.keepWithin()))) {
                reasons.get(g.name()).add("within " + policy.keepWithin().toDays() + " days");
            }
        }
        ZoneId zone = ZoneId.systemDefault();
        tier(
                newest,
                policy.keepDaily(),
                "daily",
                t -> LocalDate.ofInstant(t, zone).toString(),
                reasons);
        tier(
                newest,
                policy.keepWeekly(),
                "weekly",
                t -> {
                    LocalDate d = LocalDate.ofInstant(t, zone);
                    return d.get(IsoFields.WEEK_BASED_YEAR) + "-W" + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
                },
                reasons);
        tier(
                newest,
                policy.keepMonthly(),
                "monthly",
                t -> LocalDate.ofInstant(t, zone).toString().substring(0, 7),
                reasons);
        Instant newestSuspect = null;
        for (Generations.Named g : newest) {
            if (g.snapshot().suspect() && !policy.accepted().contains(g.name())) {
                reasons.get(g.name()).add("marked suspect by the ransomware guard");
                if (newestSuspect == null) {
                    newestSuspect = g.snapshot().time();
                }
            }
        }
        if (newestSuspect != null) {
            for (Generations.Named g : newest) {
                if (g.snapshot().time().isBefore(newestSuspect) && !g.snapshot().suspect()) {
                    reasons.get(g.name()).add("clean generation before a suspect one");
                }
            }
        }
        List<Decision> out = new ArrayList<>();
        for (Generations.Named g : oldestFirst) {
            List<String> r = reasons.get(g.name());
            out.add(new Decision(g, !r.isEmpty(), List.copyOf(r)));
        }
        return out;
    }

    private static void tier(
            List<Generations.Named> newest,
            int count,
            String label,
            Function<Instant, String> bucket,
            Map<String, List<String>> reasons) {
        Set<String> seen = new HashSet<>();
        for (Generations.Named g : newest) {
            if (seen.size() >= count) {
                return;
            }
            if (seen.add(bucket.apply(g.snapshot().time()))) {
                reasons.get(g.name()).add(label);
            }
        }
    }

    /**
     * Removes the generations the plan does not keep, then moves the retention date of every kept
     * generation and of every pack it needs to {@code lockDays} from now, on backends with
     * retention (S3 Object Lock): a pack shared by many generations stays locked as long as the
     * newest of them. Needs an administrator key.
     */
    public List<Decision> apply(Policy policy, Instant now) throws IOException {
        repo.requireAdmin("forget");
        List<Decision> plan = plan(policy, now);
        for (Decision d : plan) {
            if (!d.keep()) {
                repo.backend().delete(ObjectKind.SNAPSHOT, d.generation().name());
            }
        }
        if (repo.config().lockDays() > 0) {
            extendLocks(plan, now.plus(java.time.Duration.ofDays(repo.config().lockDays())));
        }
        return plan;
    }

    private void extendLocks(List<Decision> plan, Instant until) throws IOException {
        repo.loadIndex();
        Generations generations = new Generations(repo);
        Set<jp.mamori.backup.repository.BlobId> reached = new HashSet<>();
        for (Decision d : plan) {
            if (d.keep()) {
                repo.backend()
                        .extendRetention(ObjectKind.SNAPSHOT, d.generation().name(), until);
                Prune.mark(generations, d.generation().snapshot().tree(), reached);
            }
        }
        Set<String> packs = new HashSet<>();
        for (var id : reached) {
            var entry = repo.find(id);
            if (entry != null) {
                packs.add(entry.pack());
            }
        }
        for (String pack : packs) {
            repo.backend().extendRetention(ObjectKind.PACK, pack, until);
        }
        for (String index : repo.indexFiles()) {
            repo.backend().extendRetention(ObjectKind.INDEX, index, until);
        }
    }
}
