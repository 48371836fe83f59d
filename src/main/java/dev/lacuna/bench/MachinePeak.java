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

    /** FMA GFLOP/s of {@code threads} threads together, best of 5 runs of about 0.1 s. */
    public static double fmaGflops(int threads) {
        long iters = 4_000_000L;
        // warm-up, and size a run to about 0.1 s
        long t0 = System.nanoTime();
        MachineProbe.fma(iters);
        double sec = Math.max(1e-4, (System.nanoTime() - t0) * 1e-9);
        iters = Math.max(1_000_000L, (long) (iters * 0.1 / sec));
        long it = iters;
        double best = 0;
        for (int rep = 0; rep < 5; rep++) {
            double s = team(threads, t -> MachineProbe.fma(it));
            best = Math.max(best, threads * MachineProbe.fmaFlops(it) / s / 1e9);
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

    /** Runs body(t) on threads t = 0..threads-1 started together; seconds from the start to the last end. */
    private static double team(int threads, IntConsumer body) {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                await(start);
                body.accept(id);
            }, "lacuna-peak-" + t);
            ts[t].setDaemon(true);
            ts[t].start();
        }
        await(start);
        long t0 = System.nanoTime();
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring", e);
            }
        }
        return (System.nanoTime() - t0) * 1e-9;
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
