// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import dev.lacuna.concurrent.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API ({@code jdk.incubator.vector}) implementation. Loaded only by {@link KernelProvider},
 * after it has checked that the module is present, so that nothing else links against it.
 */
public final class VectorKernels implements Kernels {
    static final VectorSpecies<Float> S = Species.FLOAT;
    static final int L = S.length();

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));

    public VectorKernels() {}

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public int panelWidth() {
        return VectorGemm.NR;
    }

    @Override
    public void gemm(Parallel par, float[] x, int m, int k, float[] w, int nr, int n, float[] bias, float[] y, boolean gelu) {
        VectorGemm.gemm(par, x, m, k, w, n, bias, y, gelu);
    }

    @Override
    public void gemmSplit(Parallel par, float[] x, int m, int k, float[] w, int nr, int n, float[] bias, float[][] ys, int width) {
        if (width % VectorGemm.NR != 0) {
            Kernels.super.gemmSplit(par, x, m, k, w, nr, n, bias, ys, width);
            return;
        }
        VectorGemm.gemmSplit(par, x, m, k, w, n, bias, ys, width);
    }

    @Override
    public void gemmRaw(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                        int m, int n, int k, float alpha, boolean accumulate) {
        VectorRawGemm.gemm(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, alpha, accumulate);
    }

    /** Transposes B [n, k] into a per-thread scratch [k, n] with gathers of L rows, then {@link #gemmRaw}. */
    @Override
    public void gemmRawTransB(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                              int m, int n, int k, float alpha, boolean accumulate) {
        float[] bt = Scratch.get(n * k);
        int[] rows = new int[L];
        for (int l = 0; l < L; l++) rows[l] = l * ldb;
        int j = 0;
        for (; j + L <= n; j += L) {
            int row = bOff + j * ldb;
            for (int p = 0; p < k; p++) FloatVector.fromArray(S, b, row + p, rows, 0).intoArray(bt, p * n + j);
        }
        for (; j < n; j++) {
            int row = bOff + j * ldb;
            for (int p = 0; p < k; p++) bt[p * n + j] = b[row + p];
        }
        VectorRawGemm.gemm(a, aOff, lda, bt, 0, n, c, cOff, ldc, m, n, k, alpha, accumulate);
    }

    // ---- LayerNorm -------------------------------------------------------------------------------

    @Override
    public void layerNorm(float[] x, int rowStart, int rowEnd, int cols, float[] gamma, float[] beta, float eps) {
        for (int r = rowStart; r < rowEnd; r++) layerNormRow(x, r * cols, cols, gamma, beta, eps);
    }

    /**
     * One row, corrected two-pass in float (Chan, Golub and LeVeque): mean0 = Σx / n, then Σd and
     * Σd² of d = x - mean0, mean = mean0 + Σd / n, var = Σd² / n - (Σd / n)². Cancellation in the
     * first mean is repaired by the second pass, so the result tracks the double reference to a few
     * float ulps of (x - mean) / std.
     */
    private static void layerNormRow(float[] x, int o, int cols, float[] gamma, float[] beta, float eps) {
        int bound = S.loopBound(cols);
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        int c = 0;
        for (; c + 2 * L <= bound; c += 2 * L) {
            s0 = s0.add(FloatVector.fromArray(S, x, o + c));
            s1 = s1.add(FloatVector.fromArray(S, x, o + c + L));
        }
        for (; c < bound; c += L) s0 = s0.add(FloatVector.fromArray(S, x, o + c));
        float sum = sum(s0.add(s1));
        for (; c < cols; c++) sum += x[o + c];
        float mean0 = sum / cols;

        FloatVector m0 = FloatVector.broadcast(S, mean0);
        FloatVector d1 = FloatVector.zero(S), d2 = FloatVector.zero(S);
        FloatVector e1 = FloatVector.zero(S), e2 = FloatVector.zero(S);
        c = 0;
        for (; c + 2 * L <= bound; c += 2 * L) {
            FloatVector d = FloatVector.fromArray(S, x, o + c).sub(m0);
            FloatVector e = FloatVector.fromArray(S, x, o + c + L).sub(m0);
            d1 = d1.add(d);
            d2 = d.fma(d, d2);
            e1 = e1.add(e);
            e2 = e.fma(e, e2);
        }
        for (; c < bound; c += L) {
            FloatVector d = FloatVector.fromArray(S, x, o + c).sub(m0);
            d1 = d1.add(d);
            d2 = d.fma(d, d2);
        }
        float sd = sum(d1.add(e1));
        float sd2 = sum(d2.add(e2));
        for (; c < cols; c++) {
            float d = x[o + c] - mean0;
            sd += d;
            sd2 += d * d;
        }
        double corr = (double) sd / cols;
        double var = Math.max(0.0, (double) sd2 / cols - corr * corr);
        float corrF = (float) corr;
        float inv = (float) (1.0 / Math.sqrt(var + eps));

        // (x - mean0) is exact when x is near mean0 (Sterbenz), so subtracting the small correction
        // afterwards keeps the digits a rounded float mean would lose when |mean| >> std.
        FloatVector cv = FloatVector.broadcast(S, corrF);
        c = 0;
        for (; c < bound; c += L) {
            FloatVector g = FloatVector.fromArray(S, gamma, c).mul(inv);
            FloatVector b = FloatVector.fromArray(S, beta, c);
            FloatVector.fromArray(S, x, o + c).sub(m0).sub(cv).fma(g, b).intoArray(x, o + c);
        }
        for (; c < cols; c++) x[o + c] = Math.fma(x[o + c] - mean0 - corrF, gamma[c] * inv, beta[c]);
    }

    // ---- GELU ------------------------------------------------------------------------------------

    @Override
    public void gelu(float[] x, int from, int to) {
        geluRange(x, from, to);
    }

    /** In-place exact GELU of x[from, to). */
    static void geluRange(float[] x, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) gelu(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            gelu(FloatVector.fromArray(S, x, i, m)).intoArray(x, i, m);
        }
    }

    /**
     * Exact GELU, x · Φ(x) = x · (1 - ½ erfc(x / √2)) for x ≥ 0 and x · ½ erfc(|x| / √2) below,
     * with erfc from the Chebyshev fit of {@link dev.lacuna.kernel.internal.Erf} (fractional error below
     * 1.2e-7 everywhere) evaluated in float with {@link #exp}. For x ≥ 0 it is formed as
     * x - x·h so the only large rounding is the last subtraction (½ ulp of the result). Absolute
     * error against the double formula stays below 1e-6 for |x| < 10.
     */
    public static FloatVector gelu(FloatVector v) {
        FloatVector z = v.abs().mul(INV_SQRT2);
        FloatVector t = z.fma(0.5f, 1f);
        t = FloatVector.broadcast(S, 1f).div(t);
        // P(t) = 1.00002368 + 0.37409196 t + … + 0.17087277 t⁸, Estrin's scheme (short dependency chain).
        FloatVector t2 = t.mul(t), t4 = t2.mul(t2);
        FloatVector a01 = t.fma(0.37409196f, 1.00002368f);
        FloatVector a23 = t.fma(-0.18628806f, 0.09678418f);
        FloatVector a45 = t.fma(-1.13520398f, 0.27886807f);
        FloatVector a67 = t.fma(-0.82215223f, 1.48851587f);
        FloatVector b03 = a23.fma(t2, a01);
        FloatVector b47 = a67.fma(t2, a45);
        FloatVector poly = t4.fma(FloatVector.broadcast(S, 0.17087277f), b47).fma(t4, b03);
        FloatVector arg = poly.fma(t, z.neg().fma(z, FloatVector.broadcast(S, -1.26551223f))); // -z² - 1.2655 + t·P(t)
        FloatVector h = t.mul(0.5f).mul(exp(arg)); // ½ erfc(|x| / √2)
        FloatVector xh = v.mul(h);
        return v.sub(xh).blend(xh, v.lt(0f));
    }

    // ---- building blocks -------------------------------------------------------------------------
    //
    // Only IEEE-exact lane operations (add, mul, fma, div, compare, blend, rearrange, conversions of
    // integral values): the interpreter's and C2's versions of these give identical bits, whereas
    // the library EXP (SVML in C2, Math.exp in the fallback) and reduceLanes(ADD) (tree order in
    // C2, lane order in the fallback) do not. So results never depend on how warm the JIT is.

    private static final float EXP_HI = 88.37626f, EXP_LO = -87.33654f; // 127.5·ln2 keeps 2^n finite; ≈ -126·ln2
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5·2^23: x + ROUND - ROUND rounds x to an integer

    /**
     * e^x per lane, about 1 ulp (Cephes expf: Cody-Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, a
     * degree-7 polynomial for e^r, 2^n built in the exponent bits). 0 below -87.34 (so -∞ gives 0),
     * clamped to e^88.376 ≈ 2.5e38 above.
     */
    public static FloatVector exp(FloatVector x) {
        VectorMask<Float> under = x.lt(EXP_LO); // also -∞ and NaN-free garbage lanes below: set to 0 at the end
        x = x.min(EXP_HI);
        // t = n + 1.5·2^23 holds n = round(x·log2 e) in its low mantissa bits, so bits(t) << 23 is
        // n << 23 (the high bits shift out) and adding 127 << 23 makes the float 2^n.
        FloatVector t = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUND));
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        // e^r - 1 - r = r²·(c5 + c4 r + c3 r² + c2 r³ + c1 r⁴ + c0 r⁵), Estrin-style for a short chain.
        FloatVector r2 = r.mul(r);
        FloatVector p = r2.fma(FloatVector.broadcast(S, 1.9875691500e-4f), r.fma(1.3981999507e-3f, 8.3334519073e-3f));
        p = p.fma(r2, r.fma(4.1665795894e-2f, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        FloatVector e = p.fma(r2, r).add(1f);
        FloatVector scale = ((IntVector) t.reinterpretAsInts()).lanewise(VectorOperators.LSHL, 23).add(127 << 23).reinterpretAsFloats();
        return e.mul(scale).blend(0f, under);
    }

    /** Lane i ↔ i ^ d shuffles for {@link #sum}; null where d ≥ L. */
    private static final VectorShuffle<Float> X8 = xor(8), X4 = xor(4), X2 = xor(2), X1 = xor(1);

    private static VectorShuffle<Float> xor(int d) {
        return d < L ? VectorShuffle.fromOp(S, i -> i ^ d) : null;
    }

    /** Σ lanes in a fixed pairwise order (the same bits compiled or interpreted). */
    public static float sum(FloatVector v) {
        if (L > 16) {
            float s = 0; // no such x86 species; keep it simple and ordered
            for (int i = 0; i < L; i++) s += v.lane(i);
            return s;
        }
        if (L >= 16) v = v.add(v.rearrange(X8));
        if (L >= 8) v = v.add(v.rearrange(X4));
        if (L >= 4) v = v.add(v.rearrange(X2));
        if (L >= 2) v = v.add(v.rearrange(X1));
        return v.lane(0);
    }

    // ---- element-wise ----------------------------------------------------------------------------

    /** C2's own auto-vectorisation of this loop (unrolled) beats a hand-written one here; same bits. */
    @Override
    public void add(float[] a, float[] b, int from, int to) {
        for (int i = from; i < to; i++) a[i] += b[i];
    }

    @Override
    public void softmax(float[] x, int off, int n) {
        int bound = S.loopBound(n);
        FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += L) mx = mx.max(FloatVector.fromArray(S, x, off + i));
        float max = mx.reduceLanes(VectorOperators.MAX);
        VectorMask<Float> tail = S.indexInRange(bound, n);
        if (bound < n) max = Math.max(max, FloatVector.fromArray(S, x, off + bound, tail).reduceLanes(VectorOperators.MAX, tail));

        FloatVector mv = FloatVector.broadcast(S, max);
        FloatVector sv = FloatVector.zero(S);
        for (i = 0; i < bound; i += L) {
            FloatVector e = exp(FloatVector.fromArray(S, x, off + i).sub(mv));;
            e.intoArray(x, off + i);
            sv = sv.add(e);
        }
        float sum = sum(sv);
        if (bound < n) {
            FloatVector e = exp(FloatVector.fromArray(S, x, off + bound, tail).sub(mv));;
            e.intoArray(x, off + bound, tail);
            sum += sum(FloatVector.zero(S).blend(e, tail));
        }

        FloatVector inv = FloatVector.broadcast(S, 1f / sum);
        for (i = 0; i < bound; i += L) FloatVector.fromArray(S, x, off + i).mul(inv).intoArray(x, off + i);
        if (bound < n) FloatVector.fromArray(S, x, off + bound, tail).mul(inv).intoArray(x, off + bound, tail);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        for (; i + 4 * L <= n; i += 4 * L) {
            s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
            s1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), s1);
            s2 = FloatVector.fromArray(S, a, aOff + i + 2 * L).fma(FloatVector.fromArray(S, b, bOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, a, aOff + i + 3 * L).fma(FloatVector.fromArray(S, b, bOff + i + 3 * L), s3);
        }
        for (; i + L <= n; i += L) s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            s1 = FloatVector.fromArray(S, a, aOff + i, m).fma(FloatVector.fromArray(S, b, bOff + i, m), s1);
        }
        return sum(s0.add(s1).add(s2.add(s3)));
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(av, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).fma(av, FloatVector.fromArray(S, y, yOff + i, m)).intoArray(y, yOff + i, m);
        }
    }
}
