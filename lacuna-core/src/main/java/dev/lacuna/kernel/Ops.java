// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.kernel.internal.Kernels;

import java.util.Objects;
/**
 * Element-wise and row-wise kernels of the encoder: LayerNorm, GELU, softmax, residual add.
 * Facade: checks shapes, then dispatches to the {@link KernelProvider} implementation. Work smaller
 * than about {@value #PARALLEL_MIN} floats per thread runs on the caller alone: handing it to the
 * team would cost more than it saves.
 */
public final class Ops {
    private Ops() {}

    /** Fewest floats of element-wise work worth one more thread. */
    static final int PARALLEL_MIN = 1 << 15;

    private static final Kernels K = KernelProvider.get();

    /**
     * In-place LayerNorm over each row: x = (x - mean) / sqrt(var + eps) * gamma + beta.
     *
     * @param x     [rows, cols]
     * @param gamma [cols]
     * @param beta  [cols]
     */
    public static void layerNorm(Parallel par, float[] x, int rows, int cols, float[] gamma, float[] beta, float eps) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("layerNorm: negative shape [" + rows + ", " + cols + "]");
        if (x.length < (long) rows * cols) throw new IllegalArgumentException("layerNorm: x has " + x.length + " values, [" + rows + ", " + cols + "] needs " + (long) rows * cols);
        if (gamma.length < cols || beta.length < cols) throw new IllegalArgumentException("layerNorm: gamma/beta have " + gamma.length + "/" + beta.length + " values, expected " + cols);
        if (rows == 0 || cols == 0) return;
        int grain = Math.max(1, PARALLEL_MIN / cols);
        par.forRange(rows, grain, (s, e) -> K.layerNorm(x, s, e, cols, gamma, beta, eps));
    }

    /**
     * The residual step of a post-LayerNorm block, fused: x = LayerNorm(x + r) row by row, each row
     * added and normalised while it is in L1 (one pass over memory instead of two). The same bits as
     * {@link #addInPlace} then {@link #layerNorm}: each element sees the same operations in order.
     *
     * @param x     [rows, cols] residual stream, overwritten
     * @param r     [rows, cols] the block's output
     * @param gamma [cols]
     * @param beta  [cols]
     */
    public static void addLayerNorm(Parallel par, float[] x, float[] r, int rows, int cols, float[] gamma, float[] beta, float eps) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("addLayerNorm: negative shape [" + rows + ", " + cols + "]");
        long n = (long) rows * cols;
        if (x.length < n || r.length < n) throw new IllegalArgumentException("addLayerNorm: x/r have " + x.length + "/" + r.length + " values, [" + rows + ", " + cols + "] needs " + n);
        if (gamma.length < cols || beta.length < cols) throw new IllegalArgumentException("addLayerNorm: gamma/beta have " + gamma.length + "/" + beta.length + " values, expected " + cols);
        if (rows == 0 || cols == 0) return;
        int grain = Math.max(1, PARALLEL_MIN / cols);
        par.forRange(rows, grain, (s, e) -> {
            for (int row = s; row < e; row++) {
                K.add(x, r, row * cols, (row + 1) * cols);
                K.layerNorm(x, row, row + 1, cols, gamma, beta, eps);
            }
        });
    }

    /** In-place exact GELU: x * 0.5 * (1 + erf(x / sqrt(2))), over x[0, n). */
    public static void gelu(Parallel par, float[] x, int n) {
        Objects.checkFromIndexSize(0, n, x.length);
        par.forRange(n, PARALLEL_MIN, (s, e) -> K.gelu(x, s, e));
    }

    /** In-place a[0, n) += b[0, n). */
    public static void addInPlace(Parallel par, float[] a, float[] b, int n) {
        Objects.checkFromIndexSize(0, n, a.length);
        Objects.checkFromIndexSize(0, n, b.length);
        par.forRange(n, PARALLEL_MIN, (s, e) -> K.add(a, b, s, e));
    }

    /** In-place softmax of x[off, off + n). */
    public static void softmax(float[] x, int off, int n) {
        Objects.checkFromIndexSize(off, n, x.length);
        if (n == 0) return;
        K.softmax(x, off, n);
    }

    /** Dot product of a[aOff, aOff + n) and b[bOff, bOff + n). */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        Objects.checkFromIndexSize(aOff, n, a.length);
        Objects.checkFromIndexSize(bOff, n, b.length);
        return K.dot(a, aOff, b, bOff, n);
    }

    /** y[yOff + i] += alpha * x[xOff + i] for i in [0, n). */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        Objects.checkFromIndexSize(xOff, n, x.length);
        Objects.checkFromIndexSize(yOff, n, y.length);
        K.axpy(alpha, x, xOff, y, yOff, n);
    }
}
