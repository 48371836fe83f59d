// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.bench;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Gemm;
import dev.lacuna.kernel.PackedMatrix;
import dev.lacuna.kernel.internal.KernelProvider;

import java.util.Locale;
import java.util.Random;

/**
 * The dense GEMM of the encoder's projections, y[M, N] = x[M, K] · Wᵀ + b, timed on one shape and
 * set against this machine's FMA peak for the same thread count measured in the same run.
 * GFLOP/s counts 2·M·N·K per product (the bias is not counted).
 */
public final class GemmBenchmark {
    private GemmBenchmark() {}

    /** One measurement. */
    public record Result(int m, int n, int k, int threads, String kernels, double seconds, double gflops, double peakGflops, String cpu) {
        /** Achieved over measured peak. */
        public double efficiency() {
            return gflops / peakGflops;
        }

        /** One line: {"m":..,"n":..,"k":..,"threads":..,"ms":..,"gflops":..,"peak_gflops":..,"efficiency":..,"cpu":..}. */
        public String json() {
            return String.format(Locale.ROOT,
                    "{\"m\":%d,\"n\":%d,\"k\":%d,\"threads\":%d,\"kernels\":\"%s\",\"ms\":%.4f,\"gflops\":%.2f,\"peak_gflops\":%.2f,\"efficiency\":%.4f,\"cpu\":\"%s\"}",
                    m, n, k, threads, kernels, seconds * 1e3, gflops, peakGflops, efficiency(), cpu.replace("\"", "'"));
        }
    }

    /**
     * Times the product for about {@code seconds} (after a warm-up of about a second), best of many
     * short samples, then measures the FMA peak of {@code threads} threads.
     */
    public static Result run(int m, int n, int k, int threads, double seconds, long seed) {
        if (m < 1 || n < 1 || k < 1) throw new IllegalArgumentException("gemm shape must be positive, got m=" + m + " n=" + n + " k=" + k);
        long values = (long) m * k + (long) n * k + (long) m * n;
        if (values > 400_000_000L) throw new IllegalArgumentException("gemm shape m=" + m + " n=" + n + " k=" + k + " needs " + values * 4 / (1 << 20) + " MiB; at most 1,600 MiB");
        Random r = new Random(seed);
        float[] x = gaussian(r, m * k), w = gaussian(r, n * k), bias = gaussian(r, n), y = new float[m * n];
        PackedMatrix pw = Gemm.pack(w, n, k);
        double best;
        try (Parallel par = new Parallel(threads)) {
            best = bestSeconds(() -> Gemm.matmul(par, x, m, pw, bias, y), seconds);
        }
        double gflops = 2.0 * m * n * k / best / 1e9;
        double peak = MachinePeak.fmaGflops(threads);
        return new Result(m, n, k, threads, KernelProvider.get().name(), best, gflops, peak, MachinePeak.cpuModel());
    }

    /**
     * Least seconds per call: warm-up of about a second (C2 compiles the kernels), then samples of
     * about a millisecond (or one call) filling {@code budget} seconds. The least, not the median: it is
     * the run least disturbed by other load on a shared machine.
     */
    static double bestSeconds(Runnable body, double budget) {
        long t0 = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - t0 < 1_000_000_000L || calls < 3) {
            body.run();
            calls++;
        }
        double per = (System.nanoTime() - t0) * 1e-9 / calls;
        int inner = (int) Math.max(1, 1e-3 / per);
        long end = System.nanoTime() + (long) (budget * 1e9);
        double best = Double.MAX_VALUE;
        int samples = 0;
        while (samples < 5 || System.nanoTime() < end) {
            long t = System.nanoTime();
            for (int i = 0; i < inner; i++) body.run();
            best = Math.min(best, (System.nanoTime() - t) * 1e-9 / inner);
            samples++;
        }
        return best;
    }

    private static float[] gaussian(Random r, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) r.nextGaussian();
        return a;
    }
}
