package dev.lacuna.io;

import java.io.PrintStream;

/** A progress bar on stderr for long work; silent for small jobs. Drawn at most ~10 times a second. */
public final class Progress implements AutoCloseable {
    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean enabled;
    private final long startNs = System.nanoTime();
    private long done;
    private long lastDraw;

    public Progress(String label, long total, boolean enabled) {
        this.label = label;
        this.total = total;
        this.out = System.err;
        this.enabled = enabled;
    }

    /** A bar for {@code total} items, shown when there are more than {@code threshold}. */
    public static Progress of(String label, long total, long threshold) {
        return new Progress(label, total, total > threshold && !"true".equals(System.getProperty("lacuna.quiet")));
    }

    public synchronized void advance(long n) {
        done += n;
        if (!enabled) return;
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && done < total) return;
        lastDraw = now;
        draw(now);
    }

    private void draw(long now) {
        int width = 30;
        double f = total == 0 ? 1 : Math.min(1, (double) done / total);
        int fill = (int) Math.round(f * width);
        double secs = (now - startNs) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        String eta = rate > 0 && done < total ? String.format(" eta %.0fs", (total - done) / rate) : "";
        out.printf("\r%s [%s%s] %d/%d %3.0f%% %.1f/s%s   ", label, "#".repeat(fill), ".".repeat(width - fill), done, total,
                f * 100, rate, eta);
        out.flush();
    }

    @Override
    public synchronized void close() {
        if (enabled) {
            draw(System.nanoTime());
            out.println();
        }
    }
}
