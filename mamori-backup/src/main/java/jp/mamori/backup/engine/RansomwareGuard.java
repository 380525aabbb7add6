package jp.mamori.backup.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import jp.mamori.backup.snapshot.GuardReport;
import jp.mamori.backup.snapshot.Node;

/**
 * Compares a backup with the previous generation while it runs, looking for what mass encryption
 * leaves behind: many files changed at once, their content turned into random-looking bytes, files
 * renamed to a new extension, and ransom notes. One sign alone is normal life (a software update
 * changes many files; a ZIP archive is random-looking); the verdict needs them together.
 */
public final class RansomwareGuard {

    /**
     * Thresholds.
     *
     * @param changedShare share of the previous files changed that starts to count
     * @param entropyShare share of the changed files that must have turned random-looking
     * @param renamedShare share of the previous files renamed to a new extension that is suspect alone
     */
    public record Thresholds(double changedShare, double entropyShare, double renamedShare) {
        public static final Thresholds DEFAULT = new Thresholds(0.20, 0.50, 0.10);
    }

    /** Names ransom notes are commonly given (lower case), matched against added files. */
    private static final Pattern RANSOM_NOTE = Pattern.compile(
            ".*(decrypt|ransom|restore[-_ ]?my[-_ ]?files|how[-_ ]?to[-_ ]?(back|recover|restore|get)|your[-_ ]?files"
                    + "|files[-_ ]?encrypted|read[-_ ]?me[-_ ]?now|!+read[-_ ]?me).*\\.(txt|html?|hta|rtf|url)");

    /** Entropy of sampled content (bits per byte) at or above which it looks like ciphertext. */
    static final double RANDOM = 7.8;
    /** Entropy below which the earlier version clearly was not ciphertext or compressed already. */
    static final double ORDINARY = 7.2;

    private final Thresholds thresholds;
    private final AtomicLong changed = new AtomicLong();
    private final AtomicLong renamed = new AtomicLong();
    private final AtomicLong entropyJumps = new AtomicLong();
    private final List<String> notes = new ArrayList<>();

    public RansomwareGuard(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** A file present in both generations whose content was read again. */
    void changedFile(Node before, double entropyNow) {
        changed.incrementAndGet();
        if (before.entropy() < ORDINARY && entropyNow >= RANDOM) {
            entropyJumps.incrementAndGet();
        }
    }

    /**
     * One directory's entries that went away and entries that are new. A new file that carries a
     * vanished file's name plus an extension, or its stem with another extension, is a rename — and
     * its content is compared with the vanished file's as a change.
     */
    void directory(String path, List<Node> removed, List<Node> added) {
        for (Node a : added) {
            String lower = a.name().toLowerCase(Locale.ROOT);
            if (a.isFile() && RANSOM_NOTE.matcher(lower).matches()) {
                synchronized (notes) {
                    if (notes.size() < 20) {
                        notes.add(path.isEmpty() ? a.name() : path + "/" + a.name());
                    }
                }
            }
        }
        if (removed.isEmpty() || added.isEmpty()) {
            return;
        }
        java.util.Map<String, Node> gone = new java.util.HashMap<>();
        java.util.Map<String, Node> goneStems = new java.util.HashMap<>();
        for (Node r : removed) {
            if (r.isFile()) {
                gone.put(r.name(), r);
                goneStems.putIfAbsent(stem(r.name()), r);
            }
        }
        for (Node a : added) {
            if (!a.isFile()) {
                continue;
            }
            int dot = a.name().lastIndexOf('.');
            // "report.docx" → "report.docx.lockbit" (appended), or "report.docx" → "report.enc" (replaced).
            Node before = dot > 0 ? gone.get(a.name().substring(0, dot)) : null;
            if (before == null) {
                before = goneStems.get(stem(a.name()));
            }
            if (before != null) {
                renamed.incrementAndGet();
                changedFile(before, a.entropy());
            }
        }
    }

    private static String stem(String name) {
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    public GuardReport report(String comparedWith, long previousFiles) {
        long c = changed.get();
        long r = renamed.get();
        long e = entropyJumps.get();
        double share = previousFiles == 0 ? 0 : (double) c / previousFiles;
        double renamedShare = previousFiles == 0 ? 0 : (double) r / previousFiles;
        List<String> reasons = new ArrayList<>();
        boolean massChange = share >= thresholds.changedShare();
        boolean random = c > 0 && e >= Math.max(1, thresholds.entropyShare() * c);
        if (massChange && random) {
            reasons.add(String.format(
                    Locale.ROOT,
                    "%.0f%% of the files changed and %d of them now look like random data",
                    share * 100,
                    e));
        }
        if (renamedShare >= thresholds.renamedShare() && r >= 3) {
            reasons.add(String.format(
                    Locale.ROOT, "%d files (%.0f%%) reappeared under a new extension", r, renamedShare * 100));
        }
        List<String> found;
        synchronized (notes) {
            found = List.copyOf(notes);
        }
        if (!found.isEmpty() && (r > 0 || e > 0 || share >= thresholds.changedShare() / 4)) {
            reasons.add("files named like ransom notes appeared: " + String.join(", ", found));
        }
        return new GuardReport(comparedWith, previousFiles, c, share, r, e, found, !reasons.isEmpty(), reasons);
    }

    /** Shannon entropy in bits per byte. */
    public static double entropy(byte[] data, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        int[] counts = new int[256];
        for (int i = offset; i < offset + length; i++) {
            counts[data[i] & 0xff]++;
        }
        double h = 0;
        for (int n : counts) {
            if (n > 0) {
                double p = (double) n / length;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        return Math.round(h * 1000) / 1000.0;
    }
}
