// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import dev.lacuna.LacunaException;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work on stderr; silent for small jobs. On a terminal, a bar redrawn in place at
 * most ~10 times a second; elsewhere (CI logs, {@code 2>file}) one plain line every 5 s and one at
 * the end, since carriage returns there pile hundreds of frames into one line.
 * {@code -Dlacuna.progress=bar|plain|off} overrides the choice; {@code -Dlacuna.quiet=true} silences
 * {@link #of}.
 */
public final class Progress implements AutoCloseable {
    /** How progress is shown. */
    public enum Mode { BAR, PLAIN, OFF }

    /** The system property that overrides the mode. */
    public static final String PROPERTY = "lacuna.progress";

    static final long BAR_EVERY_NS = 100_000_000L;
    static final long PLAIN_EVERY_NS = 5_000_000_000L;

    private final String label;
    private long total;
    private final PrintStream out;
    private final Mode mode;
    private final LongSupplier clock;
    private final long startNs;
    private long done;
    private long lastDraw;
    private String status = "";

    /** Progress on stderr, shown as {@link #defaultMode()} says when {@code enabled}. */
    public Progress(String label, long total, boolean enabled) {
        this(label, total, enabled ? defaultMode() : Mode.OFF, System.err, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime} */
    Progress(String label, long total, Mode mode, PrintStream out, LongSupplier clock) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.mode = mode;
        this.clock = clock;
        this.startNs = clock.getAsLong();
        this.lastDraw = mode == Mode.BAR ? startNs - BAR_EVERY_NS : startNs; // the bar draws at once, plain lines after 5 s
    }

    /** Progress of {@code total} items, shown when there are more than {@code threshold}. */
    public static Progress of(String label, long total, long threshold) {
        return new Progress(label, total, total > threshold && !"true".equals(System.getProperty("lacuna.quiet")));
    }

    /** {@code -Dlacuna.progress} when set; otherwise a bar where stderr is a terminal and plain lines elsewhere. */
    public static Mode defaultMode() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isEmpty()) return stderrIsTerminal() ? Mode.BAR : Mode.PLAIN;
        return switch (p.toLowerCase(Locale.ROOT)) {
            case "bar" -> Mode.BAR;
            case "plain" -> Mode.PLAIN;
            case "off" -> Mode.OFF;
            default -> throw new LacunaException("-D" + PROPERTY + " must be bar, plain or off, got '" + p + "'");
        };
    }

    /**
     * Whether stderr is a terminal. On Linux, by what file descriptor 2 points to: {@link
     * System#console()}'s {@code isTerminal()} looks at stdin and stdout only, so it misses {@code 2>file}.
     * Elsewhere, that is the fallback.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            Console c = System.console();
            return c != null && c.isTerminal();
        }
    }

    /** Changes the total (a plan re-made part way, e.g. a training loop's step count after a timed warm-up). */
    public synchronized void total(long total) {
        this.total = total;
    }

    /** A short text shown after the counts from the next redraw on (a loss, a rate); empty for none. */
    public synchronized void status(String text) {
        status = text == null || text.isEmpty() ? "" : "  " + text;
    }

    public synchronized void advance(long n) {
        done += n;
        if (mode == Mode.OFF) return;
        long now = clock.getAsLong();
        if (mode == Mode.BAR) {
            if (now - lastDraw < BAR_EVERY_NS && done < total) return;
            lastDraw = now;
            drawBar(now);
        } else if (now - lastDraw >= PLAIN_EVERY_NS && done < total) {
            lastDraw = now;
            out.println(line(now, false));
            out.flush();
        }
    }

    private void drawBar(long now) {
        int width = 30;
        double f = fraction();
        int fill = (int) Math.round(f * width);
        double secs = (now - startNs) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        String eta = rate > 0 && done < total ? String.format(" eta %.0fs", (total - done) / rate) : "";
        out.printf("\r%s [%s%s] %d/%d %3.0f%% %.1f/s%s%s   ", label, "#".repeat(fill), ".".repeat(width - fill), done, total,
                f * 100, rate, eta, status);
        out.flush();
    }

    /** {@code label done/total pct% rate/s}, then the time left, or at the end the time taken. */
    private String line(long now, boolean end) {
        double secs = (now - startNs) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        String tail = end ? String.format(Locale.ROOT, " in %.1fs", secs)
                : rate > 0 && done < total ? String.format(Locale.ROOT, " eta %.0fs", (total - done) / rate) : "";
        return String.format(Locale.ROOT, "%s %d/%d %.0f%% %.1f/s%s%s", label, done, total, fraction() * 100, rate, tail, status);
    }

    private double fraction() {
        return total == 0 ? 1 : Math.min(1, (double) done / total);
    }

    @Override
    public synchronized void close() {
        switch (mode) {
            case BAR -> {
                drawBar(clock.getAsLong());
                out.println();
            }
            case PLAIN -> {
                out.println(line(clock.getAsLong(), true));
                out.flush();
            }
            case OFF -> { }
        }
    }
}
