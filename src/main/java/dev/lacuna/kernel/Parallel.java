package dev.lacuna.kernel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed team of {@code threads} workers (the caller counts as one) that runs data-parallel loops.
 * Sized once by {@code --threads}; kernels take it as an argument instead of reaching for a global.
 */
public final class Parallel implements AutoCloseable {
    /** Body of a parallel loop over the half-open range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private final int threads;
    private final ExecutorService pool;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        if (threads == 1) {
            pool = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "lacuna-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            pool = Executors.newFixedThreadPool(threads - 1, tf);
        }
    }

    /** A single-threaded team: everything runs on the caller. */
    public static Parallel serial() {
        return new Parallel(1);
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over [0, n) split into at most {@code threads} contiguous chunks whose
     * boundaries are multiples of {@code grain} (except the last), and waits for all of them.
     */
    public void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int g = Math.max(1, grain);
        int units = (n + g - 1) / g;
        int parts = Math.min(threads, units);
        if (parts <= 1 || pool == null) {
            body.run(0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int s = Math.min(n, (int) ((long) units * p / parts) * g);
            int e = Math.min(n, (int) ((long) units * (p + 1) / parts) * g);
            futures.add(pool.submit(() -> body.run(s, e)));
        }
        int e0 = Math.min(n, (int) ((long) units / parts) * g);
        body.run(0, e0);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ie);
            } catch (java.util.concurrent.ExecutionException ee) {
                Throwable c = ee.getCause();
                if (c instanceof RuntimeException re) throw re;
                if (c instanceof Error er) throw er;
                throw new IllegalStateException(c);
            }
        }
    }

    /** {@link #forRange(int, int, RangeBody)} with grain 1. */
    public void forRange(int n, RangeBody body) {
        forRange(n, 1, body);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
