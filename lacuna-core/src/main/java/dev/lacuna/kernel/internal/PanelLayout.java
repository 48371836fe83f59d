// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

/**
 * The packed weight layout the GEMM streams. W [N, K] (out x in, row-major) becomes ceil(N / NR)
 * panels of NR output columns of Wᵀ; panel q holds Wᵀ[0..K)[q·NR .. q·NR + NR) k-major, i.e.
 * {@code packed[q·K·NR + p·NR + c] = W[q·NR + c][p]}, zero where q·NR + c >= N. The micro-kernel then
 * reads NR contiguous floats per step p.
 */
public final class PanelLayout {
    private PanelLayout() {}

    /** Number of panels of width {@code nr} covering N = {@code n} columns. */
    public static int panels(int n, int nr) {
        return (n + nr - 1) / nr;
    }

    /** Length of the packed array for W [n, k]. */
    public static long packedLength(int n, int k, int nr) {
        return (long) panels(n, nr) * nr * k;
    }

    /**
     * Packs W.
     *
     * @param w  [N, K] row-major (out, in)
     * @param n  N, output features
     * @param k  K, input features
     * @param nr panel width
     */
    public static float[] pack(float[] w, int n, int k, int nr) {
        long len = packedLength(n, k, nr);
        if (len > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("pack: [" + n + ", " + k + "] is too large");
        float[] out = new float[(int) len];
        for (int j = 0; j < n; j++) {
            int base = (j / nr) * k * nr + (j % nr);
            int row = j * k;
            for (int p = 0; p < k; p++) out[base + p * nr] = w[row + p];
        }
        return out;
    }

    /**
     * Packs panels [from, to) of W into {@code out} (length {@link #packedLength}), writing each panel
     * sequentially (NR rows of W read in step); padding columns are zeroed. Disjoint panel ranges may be
     * packed by different threads.
     */
    public static void packPanels(float[] w, int n, int k, int nr, float[] out, int from, int to) {
        for (int q = from; q < to; q++) {
            int base = q * k * nr;
            int cols = Math.min(nr, n - q * nr);
            for (int c = 0; c < cols; c++) {
                int row = (q * nr + c) * k;
                for (int p = 0; p < k; p++) out[base + p * nr + c] = w[row + p];
            }
            for (int c = cols; c < nr; c++) for (int p = 0; p < k; p++) out[base + p * nr + c] = 0f;
        }
    }

    /**
     * Packs panels [from, to) of W = Aᵀ [cols, rows] into {@code out} (at least {@link #packedLength}(cols,
     * rows, nr) long), given A [rows, cols] row-major: panel q at step p is A's row p, columns
     * [q·NR, q·NR + NR), one contiguous copy (no transpose); padding columns are zeroed. The same
     * layout as {@link #pack} of the transpose. Disjoint panel ranges may be packed by different threads.
     *
     * @param a [rows, cols] row-major, e.g. activations x [T, K] as the weight of dW = dyᵀ · x
     */
    public static void packTransposedPanels(float[] a, int rows, int cols, int nr, float[] out, int from, int to) {
        // Row-major over A (each row's slice read once, in order; one write stream per panel): panel by
        // panel instead would stride through A by a row per step, a new page each time when rows are long.
        for (int p = 0; p < rows; p++) {
            int src = p * cols;
            for (int q = from; q < to; q++) {
                int o = q * rows * nr + p * nr, c0 = q * nr;
                int w = Math.min(nr, cols - c0);
                // A plain loop, not System.arraycopy: C2 vectorises it; a call per 16 floats costs more than the copy.
                for (int c = 0; c < w; c++) out[o + c] = a[src + c0 + c];
                for (int c = w; c < nr; c++) out[o + c] = 0f;
            }
        }
    }

    /** W[j][p] read back from a packed array. */
    public static float get(float[] packed, int k, int nr, int j, int p) {
        return packed[(j / nr) * k * nr + p * nr + (j % nr)];
    }

    /** Unpacks to W [n, k] row-major. */
    public static float[] unpack(float[] packed, int n, int k, int nr) {
        float[] w = new float[n * k];
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) w[j * k + p] = get(packed, k, nr, j, p);
        }
        return w;
    }
}
