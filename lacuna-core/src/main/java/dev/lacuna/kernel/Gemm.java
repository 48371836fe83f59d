// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.kernel.internal.Kernels;
import dev.lacuna.kernel.internal.PanelLayout;

import java.util.Objects;
/**
 * Dense matrix products. Shapes: M tokens, K input features, N output features.
 * Facade: checks shapes once, then dispatches to the {@link KernelProvider} implementation.
 *
 * <p>Results are deterministic and independent of the {@link Parallel} team's size: every output
 * element is computed by one thread with the same summation order.
 */
public final class Gemm {
    private Gemm() {}

    /** Packs W [n, k] (row-major, out x in) for {@link #matmul}. */
    public static PackedMatrix pack(float[] w, int n, int k) {
        if (n < 0 || k < 0) throw new IllegalArgumentException("pack: negative shape [" + n + ", " + k + "]");
        if (w.length != (long) n * k) throw new IllegalArgumentException("pack: W has " + w.length + " values, [" + n + ", " + k + "] needs " + (long) n * k);
        int nr = KernelProvider.get().panelWidth();
        return new PackedMatrix(n, k, nr, PanelLayout.pack(w, n, k, nr));
    }

    /**
     * Packs W [n, k] again into {@code into}, a matrix of the same shape from {@link #pack}, with no
     * allocation and panels split over the team: for training loops that change W every step and own
     * the packed copy (nobody else may hold it while it is rewritten).
     */
    public static void repack(Parallel par, float[] w, PackedMatrix into) {
        int n = into.n, k = into.k, nr = into.nr;
        if (w.length != (long) n * k) throw new IllegalArgumentException("repack: W has " + w.length + " values, [" + n + ", " + k + "] needs " + (long) n * k);
        par.forRange(PanelLayout.panels(n, nr), 8, (s, e) -> PanelLayout.packPanels(w, n, k, nr, into.data, s, e));
    }

    /**
     * Packs W = Aᵀ [cols, rows] for {@link #matmul}, given A [rows, cols] row-major, panels split over
     * the team: the same matrix as {@code pack(transpose(a), cols, rows)} without the transpose (each
     * panel step is a contiguous piece of one row of A). For weight gradients dW [N, K] = dyᵀ · x:
     * {@code matmul(dyᵀ, packTransposed(x))} with x [T, K].
     *
     * @param a     [rows, cols] row-major
     * @param reuse a matrix from an earlier call whose storage may be taken over when large enough
     *              (the caller must not use it again), or null
     * @return W [cols, rows] packed
     */
    public static PackedMatrix packTransposed(Parallel par, float[] a, int rows, int cols, PackedMatrix reuse) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("packTransposed: negative shape [" + rows + ", " + cols + "]");
        if (a.length < (long) rows * cols) throw new IllegalArgumentException("packTransposed: A has " + a.length + " values, [" + rows + ", " + cols + "] needs " + (long) rows * cols);
        int nr = KernelProvider.get().panelWidth();
        long len = PanelLayout.packedLength(cols, rows, nr);
        if (len > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("packTransposed: [" + rows + ", " + cols + "] is too large");
        float[] data = reuse != null && reuse.nr == nr && reuse.data.length >= len ? reuse.data : new float[(int) len];
        par.forRange(PanelLayout.panels(cols, nr), 4, (s, e) -> PanelLayout.packTransposedPanels(a, rows, cols, nr, data, s, e));
        return new PackedMatrix(cols, rows, nr, data);
    }

    /** W [n, k] row-major again, a fresh copy. */
    public static float[] unpack(PackedMatrix w) {
        return PanelLayout.unpack(w.data, w.n, w.k, w.nr);
    }

    /**
     * y[m, n] = x[m, k] · Wᵀ + bias[n].
     *
     * @param x    [m, k] row-major
     * @param w    packed W [n, k]
     * @param bias [n], or null
     * @param y    [m, n] row-major, overwritten
     */
    public static void matmul(Parallel par, float[] x, int m, PackedMatrix w, float[] bias, float[] y) {
        matmul(par, x, m, w, bias, y, Epilogue.NONE);
    }

    /** y[m, n] = gelu(x[m, k] · Wᵀ + bias[n]), exact GELU fused into the GEMM (the FFN intermediate). */
    public static void matmulGelu(Parallel par, float[] x, int m, PackedMatrix w, float[] bias, float[] y) {
        matmul(par, x, m, w, bias, y, Epilogue.GELU);
    }

    /**
     * y[m, n] = epilogue(x[m, k] · Wᵀ + bias[n]).
     *
     * @param x        [m, k] row-major
     * @param m        M, tokens; 0 is a no-op
     * @param w        packed W [n, k]
     * @param bias     [n], or null
     * @param y        [m, n] row-major, overwritten
     * @param epilogue applied to each output after the bias
     */
    public static void matmul(Parallel par, float[] x, int m, PackedMatrix w, float[] bias, float[] y, Epilogue epilogue) {
        int n = w.n, k = w.k;
        Objects.requireNonNull(epilogue, "epilogue");
        if (m < 0) throw new IllegalArgumentException("matmul: negative m " + m);
        if (x.length < (long) m * k) throw new IllegalArgumentException("matmul: x has " + x.length + " values, [" + m + ", " + k + "] needs " + (long) m * k);
        if (y.length < (long) m * n) throw new IllegalArgumentException("matmul: y has " + y.length + " values, [" + m + ", " + n + "] needs " + (long) m * n);
        if (bias != null && bias.length != n) throw new IllegalArgumentException("matmul: bias has " + bias.length + " values, expected " + n);
        if (m == 0 || n == 0) return;
        Kernels kern = KernelProvider.get();
        if (w.nr != kern.panelWidth()) throw new IllegalStateException("matmul: W packed for panel width " + w.nr + ", kernels use " + kern.panelWidth());
        kern.gemm(par, x, m, k, w.data, w.nr, n, bias, y, epilogue == Epilogue.GELU);
    }

    /**
     * y = x[m, k] · Wᵀ + bias with W [n, k] the row-wise concatenation of ys.length projections of equal
     * width n / ys.length, written split: columns [s·width, (s+1)·width) into ys[s] [m, width]. One
     * product where several projections read the same x (Q, K and V): the same values as one
     * {@link #matmul} per projection, with one hand-off to the team instead of several.
     */
    public static void matmulSplit(Parallel par, float[] x, int m, PackedMatrix w, float[] bias, float[]... ys) {
        int n = w.n, k = w.k;
        if (ys.length < 1 || n % ys.length != 0) throw new IllegalArgumentException("matmulSplit: " + n + " columns do not split into " + ys.length + " outputs");
        int width = n / ys.length;
        if (m < 0) throw new IllegalArgumentException("matmulSplit: negative m " + m);
        if (x.length < (long) m * k) throw new IllegalArgumentException("matmulSplit: x has " + x.length + " values, [" + m + ", " + k + "] needs " + (long) m * k);
        for (float[] y : ys) {
            if (y.length < (long) m * width) throw new IllegalArgumentException("matmulSplit: an output has " + y.length + " values, [" + m + ", " + width + "] needs " + (long) m * width);
        }
        if (bias != null && bias.length != n) throw new IllegalArgumentException("matmulSplit: bias has " + bias.length + " values, expected " + n);
        if (m == 0 || n == 0) return;
        Kernels kern = KernelProvider.get();
        if (w.nr != kern.panelWidth()) throw new IllegalStateException("matmulSplit: W packed for panel width " + w.nr + ", kernels use " + kern.panelWidth());
        kern.gemmSplit(par, x, m, k, w.data, w.nr, n, bias, ys, width);
    }

    /**
     * C[m, n] = alpha · A[m, k] · B[k, n] (+ C when {@code accumulate}) on unpacked row-major operands
     * with leading dimensions (strides), single-threaded: the small products of attention, e.g.
     * context = P · V of one head with V read in place from the [tokens, hidden] value matrix.
     *
     * @param a   A [m, k]: element (i, p) at a[aOff + i·lda + p]
     * @param b   B [k, n]: element (p, j) at b[bOff + p·ldb + j]
     * @param c   C [m, n]: element (i, j) at c[cOff + i·ldc + j]; overwritten, or added to
     * @param m   M, rows of A and C
     * @param n   N, columns of B and C
     * @param k   K, the summed dimension
     */
    public static void matmulRaw(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                 int m, int n, int k, float alpha, boolean accumulate) {
        checkShape("matmulRaw", m, n, k);
        checkMatrix("matmulRaw: A", a, aOff, lda, m, k);
        checkMatrix("matmulRaw: B", b, bOff, ldb, k, n);
        checkMatrix("matmulRaw: C", c, cOff, ldc, m, n);
        if (m == 0 || n == 0) return;
        KernelProvider.get().gemmRaw(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, alpha, accumulate);
    }

    /**
     * C[m, n] = alpha · A[m, k] · B[n, k]ᵀ (+ C when {@code accumulate}), as {@link #matmulRaw} with B
     * given row-major as [n, k]: attention scores = scale · Q · Kᵀ of one head, Q and K read in place.
     *
     * @param a A [m, k]: element (i, p) at a[aOff + i·lda + p]
     * @param b B [n, k]: element (j, p) at b[bOff + j·ldb + p]
     * @param c C [m, n]: element (i, j) at c[cOff + i·ldc + j]; overwritten, or added to
     */
    public static void matmulRawTransB(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                       int m, int n, int k, float alpha, boolean accumulate) {
        checkShape("matmulRawTransB", m, n, k);
        checkMatrix("matmulRawTransB: A", a, aOff, lda, m, k);
        checkMatrix("matmulRawTransB: B", b, bOff, ldb, n, k);
        checkMatrix("matmulRawTransB: C", c, cOff, ldc, m, n);
        if (m == 0 || n == 0) return;
        KernelProvider.get().gemmRawTransB(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, alpha, accumulate);
    }

    private static void checkShape(String what, int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException(what + ": negative shape m=" + m + " n=" + n + " k=" + k);
    }

    /** Checks that [rows, cols] with leading dimension ld starting at off lies inside arr. */
    private static void checkMatrix(String what, float[] arr, int off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) return;
        if (off < 0) throw new IllegalArgumentException(what + ": negative offset " + off);
        if (ld < cols) throw new IllegalArgumentException(what + ": leading dimension " + ld + " < " + cols + " columns");
        long end = off + (long) (rows - 1) * ld + cols;
        if (end > arr.length) throw new IllegalArgumentException(what + ": [" + rows + ", " + cols + "] with stride " + ld + " at " + off + " needs " + end + " values, has " + arr.length);
    }
}
