// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.tensor.FloatTensor;

import java.util.Locale;
import java.util.Random;

/**
 * The int16 dot-product experiment of issue 12 item 6 (not a test): activations quantized per token to
 * int16 (±8191, so that Σ over K ≤ 1536 of x·q with int8 weights fits an int), weights int8 held as
 * shorts, each output one {@code int} dot product written as the short-pair multiply-add that C2's
 * SuperWord turns into MulAddVS2VI (vpmaddwd, or vpdpwssd with AVX-512 VNNI), then scaled back to
 * float. Timed against the fp32 GEMM on one shape, one thread; run again with -XX:-UseSuperWord to
 * see whether the loop was vectorised at all.
 *
 * <pre>
 * $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *     dev.lacuna.kernel.Int16DotLab [tokens] [n] [k] [seconds-per-point]
 * </pre>
 */
public final class Int16DotLab {
    private Int16DotLab() {}

    static final int XMAX = 8191;

    /** Σ a[ao + i]·b[bo + i] over i < k (k even), as pairs: the shape SuperWord packs into MulAddS2I. */
    static int dot(short[] a, int ao, short[] b, int bo, int k) {
        int s = 0;
        for (int i = 0; i < k; i += 2) s += a[ao + i] * b[bo + i] + a[ao + i + 1] * b[bo + i + 1];
        return s;
    }

    /** The same sum as the plain loop of widened products (SuperWord's other chance: ConvS2I + MulI + AddReductionVI). */
    static int dotPlain(short[] a, int ao, short[] b, int bo, int k) {
        int s = 0;
        for (int i = 0; i < k; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    interface Dot {
        int dot(short[] a, int ao, short[] b, int bo, int k);
    }

    /** y[m, n] = (xq · qᵀ) · sx[i] · sw[j] + bias[j], xq quantized here per token (part of the cost). */
    static void gemm(Dot d, float[] x, int m, int k, short[] q, float[] sw, float[] bias, int n, float[] y, short[] xq, float[] sx) {
        for (int i = 0; i < m; i++) {
            float max = 0f;
            for (int p = 0; p < k; p++) max = Math.max(max, Math.abs(x[i * k + p]));
            float s = max == 0f ? 0f : max / XMAX, inv = max == 0f ? 0f : XMAX / max;
            sx[i] = s;
            for (int p = 0; p < k; p++) xq[i * k + p] = (short) Math.round(x[i * k + p] * inv);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) y[i * n + j] = d.dot(xq, i * k, q, j * k, k) * (sx[i] * sw[j]) + bias[j];
        }
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        int m = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1536;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 384;
        double budget = args.length > 3 ? Double.parseDouble(args[3]) : 0.5;
        Random r = new Random(1);
        FloatTensor w = new FloatTensor(new int[] {n, k}, GemmLab.rand(r, n * k));
        float[] bias = GemmLab.rand(r, n), x = GemmLab.rand(r, m * k);
        Int8Weight iw = Int8Weight.quantize(w);
        short[] q = new short[n * k];
        for (int i = 0; i < q.length; i++) q[i] = iw.values()[i];
        short[] xq = new short[m * k];
        float[] sx = new float[m], y16 = new float[m * n], y32 = new float[m * n];
        Linear dense = new DenseLinear(w, new FloatTensor(new int[] {n}, bias));
        try (Parallel par = new Parallel(1)) {
            double t32 = GemmLab.time(() -> dense.apply(par, x, m, y32), budget);
            double t16 = GemmLab.time(() -> gemm(Int16DotLab::dot, x, m, k, q, iw.scales(), bias, n, y16, xq, sx), budget);
            double tPlain = GemmLab.time(() -> gemm(Int16DotLab::dotPlain, x, m, k, q, iw.scales(), bias, n, y16, xq, sx), budget);
            double err = 0, mag = 0;
            for (int i = 0; i < y32.length; i++) {
                err = Math.max(err, Math.abs(y16[i] - y32[i]));
                mag = Math.max(mag, Math.abs(y32[i]));
            }
            double flop = 2.0 * m * n * k;
            System.out.printf("W [%d, %d] x %d tokens, 1 thread (%s dense kernels):%n", n, k, m, KernelProvider.get().name());
            System.out.printf("  fp32 GEMM       %8.2f ms  %6.1f GFLOP/s%n", t32 * 1e3, flop / t32 * 1e-9);
            System.out.printf("  int16 dot (C2)  %8.2f ms  %6.1f GOP/s   int16 time / fp32 %.2f (adopt only below 1/1.3 = 0.77)%n",
                    t16 * 1e3, flop / t16 * 1e-9, t16 / t32);
            System.out.printf("  int16 plain loop %7.2f ms  %6.1f GOP/s   int16 time / fp32 %.2f%n", tPlain * 1e3, flop / tPlain * 1e-9, tPlain / t32);
            System.out.printf("  max |int16 - fp32| %.3g of max |y| %.3g%n", err, mag);
        }
    }
}
