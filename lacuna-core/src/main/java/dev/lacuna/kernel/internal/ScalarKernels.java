// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import dev.lacuna.concurrent.Parallel;

/**
 * The plain-Java reference: straightforward loops, double where it is cheap to be exact. The Vector
 * API implementation is tested against it, and it runs when the Vector API is unavailable or
 * {@code -Dlacuna.scalar=true}.
 */
public final class ScalarKernels implements Kernels {
    public static final ScalarKernels INSTANCE = new ScalarKernels();

    /** Panel width used when packing for this implementation (any width works for it). */
    static final int NR = 64;
    /** Rows per GEMM tile. */
    private static final int MC = 16;
    private static final double INV_SQRT2 = 1 / Math.sqrt(2);

    private ScalarKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int panelWidth() {
        return NR;
    }

    @Override
    public void gemm(Parallel par, float[] x, int m, int k, float[] w, int nr, int n, float[] bias, float[] y, boolean gelu) {
        GemmTiles.run(par, m, 1, PanelLayout.panels(n, nr), MC, (r0, r1, q) -> {
            int j0 = q * nr, j1 = Math.min(n, j0 + nr);
            int wo = q * k * nr;
            for (int i = r0; i < r1; i++) {
                int xo = i * k;
                for (int j = j0; j < j1; j++) {
                    int wj = wo + (j - j0);
                    float acc = 0f;
                    for (int p = 0; p < k; p++) acc += x[xo + p] * w[wj + p * nr];
                    float v = acc + (bias == null ? 0f : bias[j]);
                    y[i * n + j] = gelu ? gelu(v) : v;
                }
            }
        });
    }

    @Override
    public void gemmRaw(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                        int m, int n, int k, float alpha, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) acc += a[aOff + i * lda + p] * b[bOff + p * ldb + j];
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + alpha * acc : alpha * acc;
            }
        }
    }

    @Override
    public void gemmRawTransB(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                              int m, int n, int k, float alpha, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) acc += a[aOff + i * lda + p] * b[bOff + j * ldb + p];
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + alpha * acc : alpha * acc;
            }
        }
    }

    /** Exact GELU of one value, in double. */
    public static float gelu(float v) {
        return (float) (v * 0.5 * (1 + Erf.erf(v * INV_SQRT2)));
    }

    @Override
    public void layerNorm(float[] x, int rowStart, int rowEnd, int cols, float[] gamma, float[] beta, float eps) {
        for (int r = rowStart; r < rowEnd; r++) {
            int o = r * cols;
            double mean = 0;
            for (int c = 0; c < cols; c++) mean += x[o + c];
            mean /= cols;
            double var = 0;
            for (int c = 0; c < cols; c++) {
                double d = x[o + c] - mean;
                var += d * d;
            }
            var /= cols;
            double inv = 1.0 / Math.sqrt(var + eps);
            for (int c = 0; c < cols; c++) x[o + c] = (float) ((x[o + c] - mean) * inv * gamma[c] + beta[c]);
        }
    }

    @Override
    public void gelu(float[] x, int from, int to) {
        for (int i = from; i < to; i++) x[i] = gelu(x[i]);
    }

    @Override
    public void add(float[] a, float[] b, int from, int to) {
        for (int i = from; i < to; i++) a[i] += b[i];
    }

    @Override
    public void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = (float) Math.exp(x[off + i] - max);
            x[off + i] = v;
            sum += v;
        }
        float inv = (float) (1 / sum);
        for (int i = 0; i < n; i++) x[off + i] *= inv;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) a[aOff + i] * b[bOff + i];
        return (float) s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }
}
