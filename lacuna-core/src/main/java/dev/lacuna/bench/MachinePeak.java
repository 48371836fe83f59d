// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.bench;

import dev.lacuna.kernel.internal.CpuInfo;
import dev.lacuna.kernel.internal.MachineProbe;
import dev.lacuna.kernel.internal.Species;

import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.function.IntConsumer;

/**
 * This machine's measured limits, the denominators of every efficiency figure: FMA throughput of one
 * core and of a team of T threads, and read bandwidth of a team streaming memory, with the CPU model
 * and the kernels' vector width. Measured, not looked up: the same model name covers cloud CPUs at
 * different clocks, and a shared machine's ceiling is what is left of it now.
 *
 * <p>Each figure is the best of several repetitions (the least disturbed by other load), with all
 * threads started together behind a barrier and timed from the barrier to the last one's end.
 */
public final class MachinePeak {
    private MachinePeak() {}

    /** 256 MiB: well past any last-level cache in the machines this runs on. */
    private static final int STREAM_FLOATS = 64 << 20;

    /** The measured limits. */
    public record Result(String cpu, int vectorBits, int threads, double fmaGflopsPerCore, double fmaGflops, double bandwidthGbs) {
        /** One line: {"cpu":..,"vector_bits":..,"threads":..,"fma_gflops_per_core":..,"fma_gflops":..,"bandwidth_gbs":..}. */
        public String json() {
            return String.format(Locale.ROOT,
                    "{\"cpu\":\"%s\",\"vector_bits\":%d,\"threads\":%d,\"fma_gflops_per_core\":%.1f,\"fma_gflops\":%.1f,\"bandwidth_gbs\":%.1f}",
                    cpu.replace("\\", "\\\\").replace("\"", "\\\""), vectorBits, threads, fmaGflopsPerCore, fmaGflops, bandwidthGbs);
        }
    }

    /** Measures FMA peak on 1 and on {@code threads} threads, and bandwidth on {@code threads}. */
    public static Result measure(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        double perCore = fmaGflops(1);
        double team = threads == 1 ? perCore : fmaGflops(threads);
        return new Result(cpuModel(), Species.bits(), threads, perCore, team, bandwidthGbs(threads));
    }

    /** FMA GFLOP/s of {@code threads} threads together, best of runs of about 0.1 s. */
    public static double fmaGflops(int threads) {
        // warm-up in short calls for 300 ms (a long first call would run interpreted for seconds),
        // then runs of about 0.1 s until five in a row bring no gain of 1% (at most 30)
        long iters = 20_000L;
        double sec = 1;
        long w0 = System.nanoTime();
        while (System.nanoTime() - w0 < 300_000_000L) {
            long t0 = System.nanoTime();
            MachineProbe.fma(iters);
            sec = (System.nanoTime() - t0) * 1e-9;
        }
        long it = Math.max(1_000_000L, (long) (iters * 0.1 / Math.max(sec, 1e-7)));
        double best = 0;
        for (int rep = 0, still = 0; rep < 30 && still < 5; rep++) {
            double s = team(threads, t -> MachineProbe.fma(it));
            double g = threads * MachineProbe.fmaFlops(it) / s / 1e9;
            still = g > best * 1.01 ? 0 : still + 1;
            best = Math.max(best, g);
        }
        return best;
    }

    /** Read GB/s of {@code threads} threads each streaming its share of a 256 MiB array, best of 8. */
    public static double bandwidthGbs(int threads) {
        float[] a = new float[STREAM_FLOATS];
        for (int i = 0; i < a.length; i += 1024) a[i] = 1f; // touch every page
        double best = 0;
        for (int rep = 0; rep < 10; rep++) {
            double s = team(threads, t -> {
                int from = (int) ((long) STREAM_FLOATS * t / threads), to = (int) ((long) STREAM_FLOATS * (t + 1) / threads);
                MachineProbe.stream(a, from, to);
            });
            if (rep >= 2) best = Math.max(best, 4.0 * STREAM_FLOATS / s / 1e9);
        }
        return best;
    }

    /**
     * Runs body(t) on threads t = 0..threads-1 released together; seconds from the first one's start
     * to the last one's end, as each thread clocks itself (the caller may be descheduled on a busy
     * machine, so its own clock would miss part of the work).
     */
    private static double team(int threads, IntConsumer body) {
        if (threads == 1) {
            long t0 = System.nanoTime();
            body.accept(0);
            return (System.nanoTime() - t0) * 1e-9;
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        long[] begin = new long[threads], end = new long[threads];
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                await(start);
                begin[id] = System.nanoTime();
                body.accept(id);
                end[id] = System.nanoTime();
            }, "lacuna-peak-" + t);
            ts[t].setDaemon(true);
            ts[t].start();
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring", e);
            }
        }
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (int t = 0; t < threads; t++) {
            first = Math.min(first, begin[t]);
            last = Math.max(last, end[t]);
        }
        return (last - first) * 1e-9;
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException("peak probe: " + e.getMessage(), e);
        }
    }

    /** The CPU's model name, family, model and vector extension. */
    public static String cpuModel() {
        return CpuInfo.model();
    }
}
