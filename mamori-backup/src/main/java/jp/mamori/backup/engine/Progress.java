package jp.mamori.backup.engine;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a long run on a terminal: files and bytes done, the rate, and an estimate of the time
 * left once the total is known. Prints at most once a second, on one line that rewrites itself.
 */
public final class Progress {

    public static final Progress SILENT = new Progress(null, "");

    private final PrintStream out;
    private final String verb;
    private final long started = System.nanoTime();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long totalBytes = -1;
    private volatile long totalFiles = -1;
    private volatile long lastPrint;

    public Progress(PrintStream out, String verb) {
        this.out = out;
        this.verb = verb;
    }

    /** Whether anything is shown: when not, a caller need not count ahead for the ETA. */
    public boolean shown() {
        return out != null;
    }

    public void total(long files, long bytes) {
        this.totalFiles = files;
        this.totalBytes = bytes;
    }

    public void file() {
        files.incrementAndGet();
        maybePrint();
    }

    public void bytes(long n) {
        bytes.addAndGet(n);
        maybePrint();
    }

    private void maybePrint() {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPrint < 1_000_000_000L) {
            return;
        }
        lastPrint = now;
        out.print("\r" + line(now) + "   ");
        out.flush();
    }

    String line(long now) {
        double seconds = Math.max(0.001, (now - started) / 1e9);
        long b = bytes.get();
        double rate = b / seconds;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s %d files, %s", verb, files.get(), size(b)));
        if (totalBytes > 0) {
            s.append(String.format(Locale.ROOT, " of %s (%.0f%%)", size(totalBytes), 100.0 * b / totalBytes));
        }
        s.append(String.format(Locale.ROOT, ", %s/s", size((long) rate)));
        if (totalBytes > 0 && rate > 0 && b < totalBytes) {
            long eta = (long) ((totalBytes - b) / rate);
            s.append(String.format(Locale.ROOT, ", ETA %d:%02d", eta / 60, eta % 60));
        }
        return s.toString();
    }

    public void done() {
        if (out != null && lastPrint != 0) {
            out.print("\r" + line(System.nanoTime()) + "   \n");
            out.flush();
        }
    }

    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
