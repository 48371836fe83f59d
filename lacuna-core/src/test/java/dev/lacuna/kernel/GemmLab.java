// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.kernel.internal.Kernels;
import dev.lacuna.kernel.internal.PanelLayout;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
/**
 * Micro-benchmark of the kernels (not a test). Prints GEMM GFLOP/s per shape and thread count, and
 * the Vector API speedup of each element-wise op over the scalar reference.
 *
 * <pre>
 * JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -q test-compile
 * $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *     dev.lacuna.kernel.GemmLab [gemm|ops|attn|all] [seconds-per-point] [gelu]
 * </pre>
 */
public final class GemmLab {
    private GemmLab() {}

    interface Body {
        void run();
    }

    /**
     * Best (least) seconds per call over short timed samples filling about {@code budget} seconds,
     * after a warm-up. The best, not the median: this 2-core machine is shared, and the least time
     * is the one least disturbed by other load.
     */
    static double time(Body b, double budget) {
        return time2(b, budget)[0];
    }

    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    /** {best wall seconds per call, best CPU seconds per call of the calling thread}. */
    static double[] time2(Body b, double budget) {
        return time2(b, budget, 50_000_000L);
    }

    static double[] time2(Body b, double budget, long warmNanos) {
        long t0 = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - t0 < warmNanos || calls < 3) { // warm-up: let C2 finish
            b.run();
            calls++;
        }
        double per = (System.nanoTime() - t0) * 1e-9 / calls;
        // Many short samples (about 0.3 ms, or one call if longer): on a shared machine the least
        // of them is a run that the scheduler left alone.
        int inner = (int) Math.max(1, 3e-4 / per);
        int reps = (int) Math.max(5, Math.min(2000, budget / (inner * per)));
        double bestWall = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            long cpu = MX.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            for (int i = 0; i < inner; i++) b.run();
            bestWall = Math.min(bestWall, (System.nanoTime() - t) * 1e-9 / inner);
            bestCpu = Math.min(bestCpu, (MX.getCurrentThreadCpuTime() - cpu) * 1e-9 / inner);
        }
        return new double[] {bestWall, bestCpu};
    }

    static float[] rand(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        String mode = args.length > 0 ? args[0] : "all";
        double budget = args.length > 1 ? Double.parseDouble(args[1]) : 0.7;
        System.out.println("kernels: " + KernelProvider.get().name() + ", cores: " + Runtime.getRuntime().availableProcessors());
        if (mode.equals("gemm") || mode.equals("all")) gemm(budget, args.length > 2 && args[2].equals("gelu"));
        if (mode.equals("ops") || mode.equals("all")) ops(budget);
        if (mode.equals("attn") || mode.equals("all")) attention(budget);
    }

    /** Pure FMA throughput of {@code threads} threads (no memory traffic): this machine's ceiling right now. */
    static double peak(int threads) {
        double[] best = new double[1];
        for (int rep = 0; rep < 5; rep++) {
            Thread[] ts = new Thread[threads];
            long t0 = System.nanoTime();
            for (int i = 0; i < threads; i++) {
                ts[i] = new Thread(() -> dev.lacuna.kernel.internal.MachineProbe.fma(20_000_000L));
                ts[i].start();
            }
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            double sec = (System.nanoTime() - t0) * 1e-9;
            best[0] = Math.max(best[0], threads * dev.lacuna.kernel.internal.MachineProbe.fmaFlops(20_000_000L) / sec / 1e9);
        }
        return best[0];
    }

    static void gemm(double budget, boolean gelu) {
        Random r = new Random(1);
        int[] ms = {16, 128, 640, 4096};
        int[][] nk = {{384, 384}, {1536, 384}, {384, 1536}};
        try (Parallel p1 = new Parallel(1); Parallel p2 = new Parallel(2)) {
            // Warm-up across all kernels (row tails, both thread counts, bias or not) until C2 has compiled them.
            long w0 = System.nanoTime();
            for (int it = 0; System.nanoTime() - w0 < 4_000_000_000L; it++) {
                int n = 384, k = 384, m = 1 + it % 23;
                float[] x = rand(r, m * k), w = rand(r, n * k), y = new float[m * n];
                PackedMatrix pw = Gemm.pack(w, n, k);
                float[] bias = rand(r, n);
                for (int rep = 0; rep < 20; rep++) {
                    Gemm.matmul(rep % 2 == 0 ? p1 : p2, x, m, pw, rep % 3 == 0 ? null : bias, y, gelu ? Epilogue.GELU : Epilogue.NONE);
                }
            }
            System.out.printf("FMA peak now: 1 thread %.1f GFLOP/s, 2 threads %.1f GFLOP/s%n", peak(1), peak(2));
            System.out.println("GEMM y[M,N] = x[M,K]·Wᵀ + b" + (gelu ? " + GELU" : "") + "  (GFLOP/s = 2·M·N·K / time; best of interleaved batches)");
            System.out.println("     M     N     K |  1 thread  2 threads |  us (1t)   us (2t) | 1t per CPU-s");
            for (int[] s : nk) {
                int n = s[0], k = s[1];
                float[] w = rand(r, n * k), bias = rand(r, n);
                PackedMatrix pw = Gemm.pack(w, n, k);
                for (int m : ms) {
                    float[] x = rand(r, m * k), y = new float[m * n];
                    Epilogue ep = gelu ? Epilogue.GELU : Epilogue.NONE;
                    double[] b1 = {Double.MAX_VALUE, Double.MAX_VALUE}, b2 = {Double.MAX_VALUE, Double.MAX_VALUE};
                    // Interleave 1- and 2-thread batches so both see the same machine.
                    for (int round = 0; round < 6; round++) {
                        double[] c1 = time2(() -> Gemm.matmul(p1, x, m, pw, bias, y, ep), budget / 6);
                        double[] c2 = time2(() -> Gemm.matmul(p2, x, m, pw, bias, y, ep), budget / 6);
                        b1[0] = Math.min(b1[0], c1[0]);
                        b1[1] = Math.min(b1[1], c1[1]);
                        b2[0] = Math.min(b2[0], c2[0]);
                    }
                    double f = 2.0 * m * n * k;
                    System.out.printf("%6d %5d %5d | %8.1f  %9.1f | %8.1f  %8.1f | %8.1f%n", m, n, k, f / b1[0] / 1e9, f / b2[0] / 1e9, b1[0] * 1e6, b2[0] * 1e6, f / b1[1] / 1e9);
                }
            }
            System.out.printf("FMA peak now: 1 thread %.1f GFLOP/s, 2 threads %.1f GFLOP/s%n", peak(1), peak(2));
            // Scalar reference for scale, one small shape.
            Kernels sc = KernelProvider.scalar();
            int m = 128, n = 384, k = 384;
            float[] x = rand(r, m * k), w = rand(r, n * k), y = new float[m * n];
            float[] pk = PanelLayout.pack(w, n, k, sc.panelWidth());
            double t = time(() -> sc.gemm(p1, x, m, k, pk, sc.panelWidth(), n, null, y, false), budget);
            System.out.printf("scalar reference M=%d N=%d K=%d, 1 thread: %.2f GFLOP/s%n", m, n, k, 2.0 * m * n * k / t / 1e9);
        }
    }

    static void ops(double budget) {
        Kernels v = KernelProvider.vector(), s = KernelProvider.scalar();
        if (v == null) {
            System.out.println("no Vector API kernels");
            return;
        }
        Random r = new Random(2);
        System.out.println("Ops, 1 thread: scalar reference vs Vector API (time per call)");
        System.out.println("op                          |   scalar us   vector us   speedup");
        int rows = 128, cols = 384;
        float[] xa = rand(r, rows * cols), g = rand(r, cols), b = rand(r, cols);
        float[] work = xa.clone();
        row("layerNorm [128, 384]", budget,
                () -> { System.arraycopy(xa, 0, work, 0, work.length); s.layerNorm(work, 0, rows, cols, g, b, 1e-12f); },
                () -> { System.arraycopy(xa, 0, work, 0, work.length); v.layerNorm(work, 0, rows, cols, g, b, 1e-12f); },
                () -> System.arraycopy(xa, 0, work, 0, work.length));
        float[] ga = rand(r, 128 * 1536), gw = ga.clone();
        row("gelu [128, 1536]", budget,
                () -> { System.arraycopy(ga, 0, gw, 0, gw.length); s.gelu(gw, 0, gw.length); },
                () -> { System.arraycopy(ga, 0, gw, 0, gw.length); v.gelu(gw, 0, gw.length); },
                () -> System.arraycopy(ga, 0, gw, 0, gw.length));
        float[] aa = rand(r, 128 * 384), ab = rand(r, 128 * 384);
        row("addInPlace [128, 384]", budget, () -> s.add(aa, ab, 0, aa.length), () -> v.add(aa, ab, 0, aa.length), null);
        for (int n : new int[] {12, 128, 512}) {
            float[] sa = rand(r, n * 64), sw = sa.clone();
            row("softmax 64 rows of " + n, budget,
                    () -> { System.arraycopy(sa, 0, sw, 0, sw.length); for (int i = 0; i < 64; i++) s.softmax(sw, i * n, n); },
                    () -> { System.arraycopy(sa, 0, sw, 0, sw.length); for (int i = 0; i < 64; i++) v.softmax(sw, i * n, n); },
                    () -> System.arraycopy(sa, 0, sw, 0, sw.length));
        }
        for (int n : new int[] {32, 384}) {
            float[] da = rand(r, n * 256), db = rand(r, n * 256);
            float[] sink = new float[1];
            row("dot x256, n=" + n, budget,
                    () -> { float t = 0; for (int i = 0; i < 256; i++) t += s.dot(da, i * n, db, i * n, n); sink[0] += t; },
                    () -> { float t = 0; for (int i = 0; i < 256; i++) t += v.dot(da, i * n, db, i * n, n); sink[0] += t; }, null);
            row("axpy x256, n=" + n, budget,
                    () -> { for (int i = 0; i < 256; i++) s.axpy(1e-6f, da, i * n, db, i * n, n); },
                    () -> { for (int i = 0; i < 256; i++) v.axpy(1e-6f, da, i * n, db, i * n, n); }, null);
        }
    }

    /**
     * One attention head of all-MiniLM-L6-v2 (head dim 32, Q/K/V rows of stride 384 in place):
     * dot/axpy per query (as DenseAttention does) against the raw GEMM helpers.
     */
    static void attention(double budget) {
        Random r = new Random(3);
        int d = 32, stride = 384;
        System.out.println("Attention, one head (d=32), 1 thread: per-query dot/axpy vs Gemm.matmulRaw*");
        System.out.println("   L |  dot+axpy us   raw GEMM us   speedup");
        for (int pass = 0; pass < 2; pass++) { // pass 0 warms every size up first (C2 is slow to start on a busy machine)
        for (int len : new int[] {16, 128, 512}) {
            float[] q = rand(r, len * stride), k = rand(r, len * stride), v = rand(r, len * stride);
            float[] out = new float[len * stride], scores = new float[len * len], row = new float[len];
            float scale = 0.17677669f;
            Body perQuery = () -> {
                for (int t = 0; t < len; t++) {
                    for (int j = 0; j < len; j++) row[j] = Ops.dot(q, t * stride, k, j * stride, d) * scale;
                    Ops.softmax(row, 0, len);
                    java.util.Arrays.fill(out, t * stride, t * stride + d, 0f);
                    for (int j = 0; j < len; j++) Ops.axpy(row[j], v, j * stride, out, t * stride, d);
                }
            };
            Body gemm = () -> {
                Gemm.matmulRawTransB(q, 0, stride, k, 0, stride, scores, 0, len, len, len, d, scale, false);
                for (int t = 0; t < len; t++) Ops.softmax(scores, t * len, len);
                Gemm.matmulRaw(scores, 0, len, v, 0, stride, out, 0, stride, len, d, len, 1f, false);
            };
            if (pass == 0) {
                time2(perQuery, 0.01, 700_000_000L);
                time2(gemm, 0.01, 700_000_000L);
                continue;
            }
            double a = time2(perQuery, budget, 200_000_000L)[1], b = time2(gemm, budget, 200_000_000L)[1];
            System.out.printf("%4d | %11.1f  %12.1f  %7.1fx%n", len, a * 1e6, b * 1e6, a / b);
        }
        }
    }

    /** Times scalar and vector bodies, subtracting the cost of {@code setup} (a copy) from both. */
    static void row(String name, double budget, Body sc, Body vec, Body setup) {
        double base = setup == null ? 0 : time2(setup, budget / 2, 1_000_000_000L)[0];
        double ts = time2(sc, budget, 1_500_000_000L)[0] - base, tv = time2(vec, budget, 1_500_000_000L)[0] - base;
        System.out.printf("%-28s| %10.2f  %10.2f  %7.1fx%n", name, ts * 1e6, tv * 1e6, ts / tv);
    }
}
