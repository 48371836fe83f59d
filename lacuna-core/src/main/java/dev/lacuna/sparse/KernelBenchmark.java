// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.DenseLinear;
import dev.lacuna.kernel.Linear;
import dev.lacuna.tensor.FloatTensor;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Sparse kernel against the dense GEMM on one shape, side by side: a seeded random weight W [N, K]
 * is magnitude-pruned to the pattern ({@link MaskSelection#pruneByMagnitude}), then {@link DenseLinear} on the masked
 * weight and the pattern's sparse format run on the same x [T, K] with the same threads, interleaved
 * (alternating which goes first) after a warm-up that lasts until the JIT is quiet and the times
 * settle ({@link #warmUp}); each reports its median wall-clock time. On a machine shared with other work the ratio is the number to read.
 */
public final class KernelBenchmark {
    private KernelBenchmark() {}

    /** Seconds of interleaved measurement after the warm-up. */
    private static final double MEASURE_SECONDS = 1.5;

    /**
     * One comparison.
     *
     * @param denseMs   median time of the dense product, ms
     * @param sparseMs  median time of the sparse product, ms
     * @param speedup   denseMs / sparseMs
     * @param kernel    the sparse kernel's name, e.g. {@code csr}, {@code 2:4}, {@code block4x4}
     * @param sparsity  the fraction of W that is zero after pruning
     * @param maxError  largest |sparse - dense| / (1 + |dense|) over the outputs: a sanity check
     * @param reps      timed runs of each
     */
    public record Result(String pattern, int rows, int cols, int tokens, int threads,
                         double denseMs, double sparseMs, double speedup, String kernel, double sparsity,
                         double maxError, int reps) {
        /** {@code {"dense_ms":..,"sparse_ms":..,"speedup":..,"kernel":".."}}. */
        public String json() {
            return String.format(Locale.ROOT, "{\"dense_ms\":%.4f,\"sparse_ms\":%.4f,\"speedup\":%.3f,\"kernel\":\"%s\"}",
                    denseMs, sparseMs, speedup, kernel);
        }
    }

    /** The pattern's sparse format of a masked weight: CSR, N:M or blocked CSR. */
    static SparseLinear sparseFormat(SparsityPattern p, FloatTensor masked, FloatTensor bias) {
        return switch (p) {
            case SparsityPattern.Unstructured u -> CsrLinear.fromDense(masked, bias);
            case SparsityPattern.NofM nm -> NmLinear.fromDense(masked, bias, nm.n(), nm.m());
            case SparsityPattern.Block bl -> BlockCsrLinear.fromDense(masked, bias, bl.rows(), bl.cols());
        };
    }

    /**
     * Runs the comparison.
     *
     * @param pattern  {@code unstructured}, {@code n:m} or {@code block:RxC}
     * @param sparsity fraction to prune; for n:m it must be 1 - n/m
     * @param rows     N, output features
     * @param cols     K, input features
     * @param tokens   T
     * @param threads  workers (the caller counts as one)
     * @param seed     for the weight and the input
     */
    public static Result run(String pattern, double sparsity, int rows, int cols, int tokens, int threads, long seed) {
        SparsityPattern p = pattern(pattern);
        if (rows < 1 || cols < 1 || tokens < 1) throw new LacunaException("bench kernel: rows, cols and tokens must be ≥ 1, got " + rows + ", " + cols + ", " + tokens);
        if (threads < 1) throw new LacunaException("bench kernel: threads must be ≥ 1, got " + threads);
        Random rnd = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        float[] b = new float[rows];
        for (int i = 0; i < rows; i++) b[i] = (float) rnd.nextGaussian();
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat() * 2 - 1;
        FloatTensor masked = MaskSelection.pruneByMagnitude(new FloatTensor(new int[] {rows, cols}, w), p, sparsity);
        FloatTensor bias = new FloatTensor(new int[] {rows}, b);
        SparseLinear sparse = sparseFormat(p, masked, bias);
        DenseLinear dense = new DenseLinear(masked, bias);
        try (Parallel par = new Parallel(threads)) {
            float[] yd = new float[tokens * rows], ys = new float[tokens * rows];
            double[] t = compare(par, dense, sparse, x, tokens, yd, ys, MEASURE_SECONDS);
            double err = 0;
            for (int i = 0; i < yd.length; i++) err = Math.max(err, Math.abs(ys[i] - yd[i]) / (1 + Math.abs(yd[i])));
            return new Result(p.toString(), rows, cols, tokens, threads, t[0], t[1], t[0] / t[1], sparse.kernel(),
                    sparse.sparsity(), err, (int) t[2]);
        }
    }

    /** The pattern's spelling read with the kernels' limits ({@link NmLinear#checkPattern}, {@link BlockCsrLinear#checkBlock}). */
    static SparsityPattern pattern(String s) {
        try {
            Optional<SparsityPattern> p = SparsityPattern.read(s, (n, m) -> {
                NmLinear.checkPattern(n, m);
                return new SparsityPattern.NofM(n, m);
            }, (r, c) -> {
                BlockCsrLinear.checkBlock(r, c);
                return new SparsityPattern.Block(r, c);
            });
            if (p.isPresent()) return p.get();
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new LacunaException("sparsity pattern '" + s + "' is not one of: unstructured, N:M (e.g. 2:4), block:RxC (e.g. block:4x4)");
    }

    /**
     * Times a and b on the same input, interleaved, alternating which goes first.
     *
     * @return {median ms of a, median ms of b, repetitions}
     */
    static double[] compare(Parallel par, Linear a, Linear b, float[] x, int tokens, float[] ya, float[] yb, double seconds) {
        double pair = warmUp(() -> {
            a.apply(par, x, tokens, ya);
            b.apply(par, x, tokens, yb);
        });
        int reps = (int) Math.max(5, Math.min(2001, seconds / Math.max(pair, 1e-7)));
        double[] ta = new double[reps], tb = new double[reps];
        for (int i = 0; i < reps; i++) {
            if ((i & 1) == 0) {
                ta[i] = time(par, a, x, tokens, ya);
                tb[i] = time(par, b, x, tokens, yb);
            } else {
                tb[i] = time(par, b, x, tokens, yb);
                ta[i] = time(par, a, x, tokens, ya);
            }
        }
        return new double[] {median(ta), median(tb), reps};
    }

    /**
     * Runs {@code work} in windows of 8 until the JIT has gone quiet (no compilation time added
     * during the last two windows) and two windows in a row agree within 10%, for at least 0.5 s
     * and at most 20 s. Stable times alone do not do: C1-compiled Vector API code is ~100x slower
     * than C2's but just as steady, and on a busy machine C2 can take seconds to get to the kernels.
     *
     * @return the median seconds of one run of {@code work} in the last window
     */
    static double warmUp(Runnable work) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watchJit = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        long compiled = watchJit ? jit.getTotalCompilationTime() : 0;
        int quiet = 0;
        double prev = Double.POSITIVE_INFINITY, med;
        double[] w = new double[8];
        while (true) {
            for (int i = 0; i < w.length; i++) {
                long t0 = System.nanoTime();
                work.run();
                w[i] = (System.nanoTime() - t0) * 1e-9;
            }
            med = median(w);
            if (watchJit) {
                long now = jit.getTotalCompilationTime();
                quiet = now == compiled ? quiet + 1 : 0;
                compiled = now;
            } else {
                quiet = 2;
            }
            double elapsed = (System.nanoTime() - start) * 1e-9;
            if (elapsed > 20 || (elapsed > 0.5 && quiet >= 2 && Math.abs(med - prev) <= 0.1 * prev)) return med;
            prev = med;
        }
    }

    private static double time(Parallel par, Linear l, float[] x, int tokens, float[] y) {
        long t0 = System.nanoTime();
        l.apply(par, x, tokens, y);
        return (System.nanoTime() - t0) * 1e-6;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
