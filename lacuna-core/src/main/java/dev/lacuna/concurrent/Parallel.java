// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.concurrent;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of {@code threads} workers (the caller counts as one) that runs data-parallel loops.
 * Sized once by {@code --threads}; kernels take it as an argument instead of reaching for a global.
 *
 * <p>Hand-off is built for the many short loops of one forward pass (a GEMM of ten tokens takes
 * tens of microseconds): idle workers spin for 100 µs ({@code -Dlacuna.parallel.spin.ns}) on the job slot before they
 * park, and the caller runs the first chunk itself, so a loop right after another starts in well
 * under a microsecond instead of the several of an executor's queue and wake-up.
 *
 * <p>One loop runs at a time. A call made while the team is busy (from another thread, or nested
 * inside a body) or after {@link #close()} runs the whole range on the calling thread; kernels whose
 * results do not depend on the split (all of {@link Gemm} and {@link Ops}) give the same values.
 */
public final class Parallel implements AutoCloseable {
    /** Body of a parallel loop over the half-open range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /** How long an idle worker, or a caller waiting for the others, spins before parking. */
    static final long SPIN_NANOS = Long.getLong("lacuna.parallel.spin.ns", 100_000);
    /** After this long spinning, yield between checks: on a loaded machine the thread we wait for may need our core. */
    static final long YIELD_NANOS = 10_000;

    /**
     * One loop, published whole through the volatile {@link #job} slot. Static ({@link #forRange}):
     * part p is the p-th of {@code parts} even shares, and the caller waits for every worker's
     * share. Dynamic ({@link #forChunks}): [0, n) is cut into chunks of {@code grain}, claimed one
     * at a time by whoever is free, and the caller waits only until every chunk is done, not for
     * workers that never woke up in time to take one.
     */
    private static final class Job {
        final RangeBody body;
        final int n, grain, units, parts;
        final boolean dynamic;
        /** Static: shares not yet finished by the workers. Dynamic: chunks not yet finished. */
        final AtomicInteger pending;
        final AtomicInteger nextChunk = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile Thread waiter; // the caller, once it parks waiting for pending == 0

        Job(RangeBody body, int n, int grain, int units, int parts, boolean dynamic) {
            this.body = body;
            this.n = n;
            this.grain = grain;
            this.units = units;
            this.parts = parts;
            this.dynamic = dynamic;
            this.pending = new AtomicInteger(dynamic ? units : parts - 1);
        }

        /** Static chunk p of [0, n): units split evenly, boundaries multiples of grain. */
        void runPart(int p) {
            int s = Math.min(n, (int) ((long) units * p / parts) * grain);
            int e = p == parts - 1 ? n : Math.min(n, (int) ((long) units * (p + 1) / parts) * grain);
            if (s < e) body.run(s, e);
        }

        /**
         * Dynamic: claims and runs chunks until none is left; returns true when this thread finished
         * the last outstanding one. A failing chunk counts as done (its exception is kept).
         */
        boolean runChunks() {
            boolean last = false;
            for (int c; (c = nextChunk.getAndIncrement()) < units; ) {
                try {
                    int s = c * grain;
                    body.run(s, Math.min(n, s + grain));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                last = pending.decrementAndGet() == 0;
            }
            return last;
        }
    }

    private static final Job CLOSED = new Job((s, e) -> {}, 0, 1, 0, 1, false);

    private final int threads;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job job;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].setName("lacuna-worker-" + (i + 1));
            workers[i].setDaemon(true);
        }
        for (Worker w : workers) w.start();
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
     * boundaries are multiples of {@code grain} (except the last), and waits for all of them. The
     * caller runs the first chunk. An exception thrown by any chunk is rethrown here once all
     * chunks have finished.
     */
    public void forRange(int n, int grain, RangeBody body) {
        run(n, grain, body, false);
    }

    /**
     * Runs {@code body} over [0, n) cut into chunks [c·chunk, min(n, (c+1)·chunk)), each run whole by
     * one thread, and waits for all of them. Chunks are claimed one at a time by whichever thread
     * of the team is free (the caller too), so a thread that the OS or another process delays takes
     * fewer chunks instead of holding the others up at the end, and a worker that was parked costs
     * nothing if the others finish first. The chunk boundaries depend only on {@code n} and
     * {@code chunk}, never on timing, so a body whose chunks write disjoint outputs gives the same
     * values on any team. Use it for many chunks of uneven or unpredictable cost (GEMM tiles,
     * attention heads); {@link #forRange} for one share per thread.
     */
    public void forChunks(int n, int chunk, RangeBody body) {
        run(n, chunk, body, true);
    }

    private void run(int n, int grain, RangeBody body, boolean dynamic) {
        if (n <= 0) return;
        int g = Math.max(1, grain);
        int units = (int) (((long) n + g - 1) / g);
        int parts = Math.min(threads, units);
        if (parts <= 1 || !busy.compareAndSet(false, true)) {
            runInline(n, g, body, dynamic);
            return;
        }
        try {
            if (job == CLOSED) {
                runInline(n, g, body, dynamic);
                return;
            }
            Job j = new Job(body, n, g, units, parts, dynamic);
            job = j;
            for (int i = 0; i < parts - 1; i++) {
                Worker w = workers[i];
                if (w.sleeping) LockSupport.unpark(w);
            }
            if (dynamic) {
                j.runChunks();
            } else {
                try {
                    j.runPart(0);
                } catch (Throwable t) {
                    j.failure.compareAndSet(null, t);
                }
            }
            awaitWorkers(j);
            Throwable t = j.failure.get();
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error er) throw er;
            if (t != null) throw new IllegalStateException(t);
        } finally {
            busy.set(false);
        }
    }

    /** {@link #forRange(int, int, RangeBody)} with grain 1. */
    public void forRange(int n, RangeBody body) {
        forRange(n, 1, body);
    }

    /** The whole loop on the caller: one call for a static loop, the same chunks as ever for a dynamic one. */
    private static void runInline(int n, int chunk, RangeBody body, boolean dynamic) {
        if (!dynamic) {
            body.run(0, n);
            return;
        }
        for (long s = 0; s < n; s += chunk) body.run((int) s, (int) Math.min(n, s + chunk));
    }

    private static void awaitWorkers(Job j) {
        if (j.pending.get() == 0) return;
        long start = System.nanoTime();
        while (j.pending.get() != 0) {
            long waited = System.nanoTime() - start;
            if (waited > SPIN_NANOS) {
                j.waiter = Thread.currentThread();
                while (j.pending.get() != 0) LockSupport.park(j);
                return;
            }
            if (waited > YIELD_NANOS) Thread.yield();
            else Thread.onSpinWait();
        }
    }

    /** Stops the workers; later loops run on the caller alone. */
    @Override
    public void close() {
        if (workers.length == 0) return;
        while (!busy.compareAndSet(false, true)) Thread.onSpinWait();
        try {
            job = CLOSED;
            for (Worker w : workers) LockSupport.unpark(w);
        } finally {
            busy.set(false);
        }
    }

    private final class Worker extends Thread {
        private final int index; // chunk this worker runs: 1 .. threads - 1
        volatile boolean sleeping;

        Worker(int index) {
            this.index = index;
        }

        @Override
        public void run() {
            Job last = null;
            while (true) {
                Job j = await(last);
                if (j == CLOSED) return;
                last = j;
                if (index >= j.parts) continue;
                boolean finished;
                if (j.dynamic) {
                    finished = j.runChunks();
                } else {
                    try {
                        j.runPart(index);
                    } catch (Throwable t) {
                        j.failure.compareAndSet(null, t);
                    }
                    finished = j.pending.decrementAndGet() == 0;
                }
                if (finished) {
                    Thread w = j.waiter;
                    if (w != null) LockSupport.unpark(w);
                }
            }
        }

        /** The next job after {@code last}: spin a while, then park until the caller unparks us. */
        private Job await(Job last) {
            long start = System.nanoTime();
            int spins = 0;
            while (true) {
                Job j = job;
                if (j != last && j != null) return j;
                if ((++spins & 63) != 0) {
                    Thread.onSpinWait();
                    continue;
                }
                long waited = System.nanoTime() - start;
                if (waited < YIELD_NANOS) continue;
                if (waited < SPIN_NANOS) {
                    Thread.yield();
                    spins = 63; // check the clock again after this yield
                    continue;
                }
                sleeping = true;
                j = job;
                if (j == last || j == null) LockSupport.park(this);
                sleeping = false;
                start = System.nanoTime();
                spins = 0;
            }
        }
    }
}
