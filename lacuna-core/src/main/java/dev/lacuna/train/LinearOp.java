// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Gemm;
import dev.lacuna.kernel.Linear;
import dev.lacuna.kernel.Ops;
import dev.lacuna.kernel.PackedMatrix;
import dev.lacuna.kernel.internal.Species;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A projection y = x · Wᵀ + b through any {@link Linear}, and its backward.
 * Shapes: T tokens, K input features, N output features.
 *
 * <p>dx = dy · W runs as a GEMM on Wᵀ packed once (dense kernels) or as a loop over W's nonzeros
 * (sparse kernels, read through {@link Linear#weight()}); dW is computed only on the mask's kept
 * entries, so pruned weights get no gradient. Built for one set of weights: rebuild after a step.
 * Every output element is summed by one thread in a fixed order, so results do not depend on the
 * team size.
 */
public final class LinearOp {
    private static final VectorSpecies<Float> S = Species.FLOAT;
    private final Linear linear;
    private final int n, k;
    private final boolean[] kept;     // [N, K], true where W may change; null = every entry
    private final PackedMatrix wT;    // Wᵀ [K, N] packed, for dx by GEMM; null on the loop path
    private final int[] rowPtr;       // [N + 1] nonzeros of W by row, for dx by loop
    private final int[] cols;         // [nnz]
    private final float[] vals;       // [nnz]

    /** dx by GEMM for dense kernels, by a loop over nonzeros for every other kernel. */
    public LinearOp(Linear linear, boolean[] kept) {
        this(linear, kept, linear.kernel().equals("dense"));
    }

    LinearOp(Linear linear, boolean[] kept, boolean viaGemm) {
        this.linear = linear;
        this.n = linear.outFeatures();
        this.k = linear.inFeatures();
        if (kept != null && kept.length != n * k) {
            throw new IllegalArgumentException("mask has " + kept.length + " entries, weight [" + n + ", " + k + "] needs " + n * k);
        }
        this.kept = kept;
        float[] w = linear.weight().data();   // W [N, K]
        if (viaGemm) {
            wT = Gemm.pack(transpose(w, n, k), k, n);
            rowPtr = null;
            cols = null;
            vals = null;
        } else {
            wT = null;
            rowPtr = new int[n + 1];
            int nnz = 0;
            for (float x : w) if (x != 0f) nnz++;
            cols = new int[nnz];
            vals = new float[nnz];
            int p = 0;
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < k; c++) {
                    float x = w[r * k + c];
                    if (x != 0f) {
                        cols[p] = c;
                        vals[p++] = x;
                    }
                }
                rowPtr[r + 1] = p;
            }
        }
    }

    public Linear linear() {
        return linear;
    }

    /**
     * y = x · Wᵀ + b.
     *
     * @param x [T, K]
     * @param y [T, N], overwritten
     */
    public void forward(Parallel par, float[] x, int t, float[] y) {
        linear.apply(par, x, t, y);
    }

    /**
     * The backward of {@link #forward}.
     *
     * @param x  [T, K] the forward's input
     * @param dy [T, N] gradient of the loss on y
     * @param dx [T, K] overwritten with dy · W, or null when not needed
     * @param dW [N, K] dyᵀ · x added on kept entries (others untouched), or null
     * @param db [N] column sums of dy added, or null
     */
    public void backward(Parallel par, float[] x, float[] dy, int t, float[] dx, float[] dW, float[] db) {
        backward(par, x, dy, t, dx, dW, db, new Workspace());
    }

    /**
     * {@link #backward} with scratch from {@code ws} (slots {@link Workspace#DY_T}, {@link Workspace#PRODUCT}
     * and its packed matrix, which is reused when it already holds this x: the caller clears it with
     * {@link Workspace#forgetPacked} whenever x's contents may have changed).
     */
    void backward(Parallel par, float[] x, float[] dy, int t, float[] dx, float[] dW, float[] db, Workspace ws) {
        if (dx != null) inputGradient(par, dy, t, dx);
        if (dW == null) {
            if (db != null) columnSums(par, dy, t, n, db);
            return;
        }
        // dW [N, K] = dyᵀ [N, T] · x [T, K] by the GEMM: A = dyᵀ (a blocked transpose), the packed
        // operand xᵀ [K, T] taken from x's rows without a transpose. The full product even under a
        // mask, then only kept entries added: the blocked GEMM reuses each loaded panel across a
        // register tile, dot products per kept entry would not.
        float[] dyT = ws.floats(Workspace.DY_T, n * t);
        transpose(par, dy, t, n, dyT, db);   // and db from the same pass over dy
        if (ws.packedFrom != x || ws.packedRows != t || ws.packed.rows() != k) {   // not packed yet by another projection of x
            ws.packed = Gemm.packTransposed(par, x, t, k, ws.packed);
            ws.packedFrom = x;
            ws.packedRows = t;
        }
        float[] g = ws.floats(Workspace.PRODUCT, n * k);
        Gemm.matmul(par, dyT, n, ws.packed, null, g);
        if (kept == null) {
            Ops.addInPlace(par, dW, g, n * k);
        } else {
            par.forRange(n, 16, (s, e) -> {
                for (int i = s * k; i < e * k; i++) if (kept[i]) dW[i] += g[i];
            });
        }
    }

    /**
     * db[N] += column sums of dy [T, N]: columns split over the team in whole vectors, each summed by
     * one thread over rows in order (the same bits as a scalar loop per column).
     */
    static void columnSums(Parallel par, float[] dy, int t, int n, float[] db) {
        int lanes = S.length();
        par.forRange((n + lanes - 1) / lanes, 8, (s, e) -> {
            int j0 = s * lanes, j1 = Math.min(n, e * lanes);
            int j = j0;
            for (; j + lanes <= j1; j += lanes) {
                FloatVector acc = FloatVector.zero(S);
                for (int i = 0; i < t; i++) acc = acc.add(FloatVector.fromArray(S, dy, i * n + j));
                acc.add(FloatVector.fromArray(S, db, j)).intoArray(db, j);
            }
            for (; j < j1; j++) {
                float acc = 0f;
                for (int i = 0; i < t; i++) acc += dy[i * n + j];
                db[j] += acc;
            }
        });
    }

    /** dx[T, K] = dy[T, N] · W[N, K]. */
    private void inputGradient(Parallel par, float[] dy, int t, float[] dx) {
        if (wT != null) {
            Gemm.matmul(par, dy, t, wT, null, dx);          // dy · (Wᵀ)ᵀ
            return;
        }
        par.forRange(t, 8, (s, e) -> {
            for (int i = s; i < e; i++) {
                int xo = i * k;
                java.util.Arrays.fill(dx, xo, xo + k, 0f);
                for (int r = 0; r < n; r++) {
                    float g = dy[i * n + r];
                    if (g == 0f) continue;
                    for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) dx[xo + cols[p]] += g * vals[p];
                }
            }
        });
    }

    /** Tile edge of {@link #transpose(Parallel, float[], int, int, float[], float[])}: a 32 x 32 tile of each side stays in L1. */
    private static final int TILE = 32;

    /**
     * out [cols, rows] = aᵀ of a [rows, cols], in 32 x 32 tiles (a row-by-row transpose misses the
     * cache on every store once rows · 4 bytes exceeds a page); output rows split over the team.
     * The same values as {@link #transpose(float[], int, int)}. With {@code colSums} [cols] non-null,
     * also adds each column's sum over rows in order into it (the bits of {@link #columnSums}).
     */
    static void transpose(Parallel par, float[] a, int rows, int cols, float[] out, float[] colSums) {
        par.forRange((cols + TILE - 1) / TILE, 1, (s, e) -> {
            float[] acc = new float[TILE];
            for (int c0 = s * TILE; c0 < Math.min(cols, e * TILE); c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                java.util.Arrays.fill(acc, 0f);
                for (int r0 = 0; r0 < rows; r0 += TILE) {
                    int r1 = Math.min(rows, r0 + TILE);
                    for (int c = c0; c < c1; c++) {
                        int o = c * rows;
                        float sum = acc[c - c0];
                        for (int r = r0; r < r1; r++) {
                            float v = a[r * cols + c];
                            out[o + r] = v;
                            sum += v;
                        }
                        acc[c - c0] = sum;
                    }
                }
                if (colSums != null) for (int c = c0; c < c1; c++) colSums[c] += acc[c - c0];
            }
        });
    }

    /** aᵀ [cols, rows] of a [rows, cols]: the reference. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
        }
        return out;
    }
}
