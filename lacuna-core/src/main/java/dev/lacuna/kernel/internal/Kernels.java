// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import dev.lacuna.concurrent.Parallel;

/**
 * One implementation of the numeric kernels (scalar reference or Vector API), picked once by
 * {@link KernelProvider}. The public facades ({@code Gemm}, {@code Ops}) validate shapes and then
 * dispatch here: implementations trust their input (lengths, offsets, shapes) and do no checks.
 *
 * <p>Shapes: M tokens (rows of activations), K input features, N output features.
 */
public interface Kernels {
    /** A short name, e.g. {@code scalar} or {@code vector-512}. */
    String name();

    /**
     * NR, the panel width of the packed weight layout ({@link PanelLayout}) this implementation's
     * GEMM streams. Weights handed to {@link #gemm} must be packed with it.
     */
    int panelWidth();

    /**
     * y[m, n] = epilogue(x[m, k] · Wᵀ + bias[n]), with W [n, k] packed by {@link PanelLayout#pack}
     * into panels of width {@code nr}. Each output element is a sum over p = 0..k-1 in increasing
     * order computed by exactly one thread, so the result does not depend on {@code par}'s size.
     *
     * @param x    [M, K] row-major activations
     * @param m    M, rows of x and y (0 is a no-op)
     * @param k    K, input features
     * @param w    packed W: ceil(N / nr) panels, each [K][nr], zero padded
     * @param nr   panel width W was packed with
     * @param n    N, output features
     * @param bias [N], or null for none
     * @param y    [M, N] row-major, overwritten
     * @param gelu whether to apply exact GELU after the bias
     */
    void gemm(Parallel par, float[] x, int m, int k, float[] w, int nr, int n, float[] bias, float[] y, boolean gelu);

    /**
     * {@link #gemm} (no epilogue) with its output split by columns into {@code ys.length} matrices of
     * {@code width} columns each: columns [s·width, (s+1)·width) of y go to ys[s] [M, width], so that
     * projections that read the same x (Q, K and V) run as one product. n = ys.length · width. The
     * same values as {@link #gemm} followed by copying the columns out, which this default does.
     */
    default void gemmSplit(Parallel par, float[] x, int m, int k, float[] w, int nr, int n, float[] bias, float[][] ys, int width) {
        float[] y = new float[m * n];
        gemm(par, x, m, k, w, nr, n, bias, y, false);
        for (int s = 0; s < ys.length; s++) {
            for (int i = 0; i < m; i++) System.arraycopy(y, i * n + s * width, ys[s], i * width, width);
        }
    }

    /**
     * C[m, n] = alpha · A[m, k] · B[k, n] (+ C[m, n] when {@code accumulate}) on unpacked row-major
     * operands with leading dimensions, single-threaded. Element (i, p) of A is a[aOff + i·lda + p],
     * (p, j) of B is b[bOff + p·ldb + j], (i, j) of C is c[cOff + i·ldc + j]. Each element is a sum
     * over p in increasing order.
     */
    void gemmRaw(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                 int m, int n, int k, float alpha, boolean accumulate);

    /**
     * C[m, n] = alpha · A[m, k] · B[n, k]ᵀ (+ C) — as {@link #gemmRaw} but B is given as [n, k],
     * element (j, p) at b[bOff + j·ldb + p] (e.g. keys, for attention scores Q·Kᵀ). This default
     * transposes B into a per-thread scratch [k, n] and calls {@link #gemmRaw}.
     */
    default void gemmRawTransB(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                               int m, int n, int k, float alpha, boolean accumulate) {
        float[] bt = Scratch.get(n * k);
        for (int j = 0; j < n; j++) {
            int row = bOff + j * ldb;
            for (int p = 0; p < k; p++) bt[p * n + j] = b[row + p];
        }
        gemmRaw(a, aOff, lda, bt, 0, n, c, cOff, ldc, m, n, k, alpha, accumulate);
    }

    /** A per-thread growable float buffer. */
    final class Scratch {
        private Scratch() {}

        private static final ThreadLocal<float[][]> BUF = ThreadLocal.withInitial(() -> new float[1][0]);

        /** A buffer of at least {@code n} floats, owned by the calling thread until its next call. */
        static float[] get(int n) {
            float[][] h = BUF.get();
            if (h[0].length < n) h[0] = new float[Math.max(n, h[0].length * 2)];
            return h[0];
        }
    }

    /**
     * In-place LayerNorm of rows [rowStart, rowEnd) of x [rows, cols]:
     * x = (x - mean) / sqrt(var + eps) * gamma + beta, biased variance.
     *
     * @param gamma [cols]
     * @param beta  [cols]
     */
    void layerNorm(float[] x, int rowStart, int rowEnd, int cols, float[] gamma, float[] beta, float eps);

    /** In-place exact GELU of x[from, to): x * 0.5 * (1 + erf(x / sqrt 2)). */
    void gelu(float[] x, int from, int to);

    /** a[i] += b[i] for i in [from, to). */
    void add(float[] a, float[] b, int from, int to);

    /** In-place softmax of x[off, off + n), n >= 1. */
    void softmax(float[] x, int off, int n);

    /** Σ a[aOff + i] · b[bOff + i] for i in [0, n). */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** y[yOff + i] += alpha · x[xOff + i] for i in [0, n). */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);
}
