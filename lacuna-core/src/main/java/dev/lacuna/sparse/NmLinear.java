// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.tensor.FloatTensor;

/**
 * A projection whose weight W [N, K] has at most n non-zeros in every group of m consecutive
 * columns of a row ("n:m", e.g. 2:4). Each row has G = ceil(K / m) groups of exactly n slots: a
 * value and its position in the group (one byte). Slots beyond a group's non-zeros hold 0 at an
 * unused position; positions increase within a group; a last partial group may point past K
 * (padding, value 0). No row pointers: row r's slots are [r·G·n, (r + 1)·G·n). Immutable.
 */
public final class NmLinear implements SparseLinear {
    /** Largest group size: positions are stored in a (signed) byte. */
    static final int MAX_M = 64;

    /** Checks that n:m is a group shape this format stores: 2 ≤ m ≤ {@link #MAX_M}, 1 ≤ n &lt; m. */
    static void checkPattern(int n, int m) {
        if (m < 2 || m > MAX_M) throw new LacunaException("N:M pattern: m must be in [2, " + MAX_M + "], got " + m);
        if (n < 1 || n >= m) throw new LacunaException("N:M pattern: n must be in [1, m), got " + n + ":" + m);
    }

    private final int rows;         // N
    private final int cols;         // K
    private final int n, m;         // n non-zeros per group of m
    private final int groups;       // G = ceil(K / m)
    private final float[] values;   // [N, G, n]
    private final byte[] positions; // [N, G, n]
    private final FloatTensor bias; // [N] or null
    private final long nonZeros;

    private NmLinear(int rows, int cols, int n, int m, float[] values, byte[] positions, FloatTensor bias) {
        this.rows = rows;
        this.cols = cols;
        this.n = n;
        this.m = m;
        this.groups = (cols + m - 1) / m;
        this.values = values;
        this.positions = positions;
        this.bias = bias;
        long nz = 0;
        for (float v : values) if (v != 0f) nz++;
        this.nonZeros = nz;
    }

    /**
     * The n:m form of a masked weight W [N, K] and bias [N] or null.
     *
     * @throws LacunaException if some group of m columns of a row holds more than n non-zeros
     */
    public static NmLinear fromDense(FloatTensor weight, FloatTensor bias, int n, int m) {
        checkPattern(n, m);
        String what = n + ":" + m;
        Shapes.weightAndBias(what, weight, bias);
        int rows = weight.dim(0), cols = weight.dim(1);
        int groups = (cols + m - 1) / m;
        long slots = (long) rows * groups * n;
        if (slots > Integer.MAX_VALUE - 8) throw new LacunaException(what + ": weight " + weight.shapeString() + " is too large");
        float[] w = weight.data();
        float[] vals = new float[(int) slots];
        byte[] pos = new byte[(int) slots];
        boolean[] used = new boolean[m];
        int j = 0;
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < groups; g++) {
                int c0 = g * m, width = Math.min(m, cols - c0);
                int count = 0;
                for (int i = 0; i < width; i++) if (w[r * cols + c0 + i] != 0f) count++;
                if (count > n) {
                    throw new LacunaException("weight " + weight.shapeString() + " is not " + what + ": row " + r + ", columns "
                            + c0 + ".." + (c0 + width - 1) + " hold " + count + " non-zeros");
                }
                java.util.Arrays.fill(used, false);
                for (int i = 0; i < width; i++) if (w[r * cols + c0 + i] != 0f) used[i] = true;
                // Padding slots take the lowest unused positions; then all n slots in position order.
                int pad = n - count;
                for (int i = 0; i < m && pad > 0; i++) {
                    if (!used[i]) {
                        used[i] = true;
                        pad--;
                    }
                }
                for (int i = 0; i < m; i++) {
                    if (used[i]) {
                        pos[j] = (byte) i;
                        vals[j++] = i < width ? w[r * cols + c0 + i] : 0f;
                    }
                }
            }
        }
        return new NmLinear(rows, cols, n, m, vals, pos, bias);
    }

    /**
     * Rebuilds an n:m weight from its arrays (as {@link #values()} and {@link #positions()} return
     * them), checking them.
     *
     * @param rows      N
     * @param cols      K
     * @param values    [N, ceil(K / m), n]
     * @param positions [N, ceil(K / m), n], in [0, m), increasing within a group; value 0 where the
     *                  column g·m + position is ≥ K
     * @param bias      [N] or null
     */
    public static NmLinear of(int rows, int cols, int n, int m, float[] values, byte[] positions, FloatTensor bias) {
        checkPattern(n, m);
        String what = n + ":" + m;
        Shapes.dims(what, rows, cols);
        Shapes.checkBias(what, rows, bias);
        int groups = (cols + m - 1) / m;
        long slots = (long) rows * groups * n;
        if (values.length != slots || positions.length != slots) {
            throw new LacunaException(what + ": [" + rows + ", " + cols + "] needs " + slots + " values and positions, got "
                    + values.length + " and " + positions.length);
        }
        for (int r = 0, j = 0; r < rows; r++) {
            for (int g = 0; g < groups; g++) {
                for (int s = 0; s < n; s++, j++) {
                    int p = positions[j];
                    if (p < 0 || p >= m) throw new LacunaException(what + ": row " + r + " group " + g + " has position " + p + ", outside [0, " + m + ")");
                    if (s > 0 && p <= positions[j - 1]) throw new LacunaException(what + ": row " + r + " group " + g + " positions not increasing (" + positions[j - 1] + " then " + p + ")");
                    if (g * m + p >= cols && values[j] != 0f) throw new LacunaException(what + ": row " + r + " has value " + values[j] + " at column " + (g * m + p) + ", past K = " + cols);
                }
            }
        }
        return new NmLinear(rows, cols, n, m, values.clone(), positions.clone(), bias);
    }

    @Override
    public void apply(Parallel par, float[] x, int tokens, float[] y) {
        Shapes.apply(kernel(), x, tokens, cols, y, rows);
        applyWith(SparseProducts.get(), par, x, tokens, y);
    }

    /** {@link #apply} with a chosen implementation (tests compare them). */
    void applyWith(SparseProducts impl, Parallel par, float[] x, int tokens, float[] y) {
        impl.nOfM(par, x, tokens, cols, rows, n, m, values, positions, bias == null ? null : bias.data(), y);
    }

    @Override
    public int inFeatures() {
        return cols;
    }

    @Override
    public int outFeatures() {
        return rows;
    }

    @Override
    public FloatTensor weight() {
        float[] w = new float[rows * cols];
        for (int r = 0, j = 0; r < rows; r++) {
            for (int g = 0; g < groups; g++) {
                for (int s = 0; s < n; s++, j++) {
                    int c = g * m + positions[j];
                    if (c < cols) w[r * cols + c] = values[j];
                }
            }
        }
        return new FloatTensor(new int[] {rows, cols}, w);
    }

    @Override
    public FloatTensor bias() {
        return bias;
    }

    /** {@code n:m}, e.g. {@code 2:4}. */
    @Override
    public String kernel() {
        return n + ":" + m;
    }

    /** Non-zeros per group. */
    public int n() {
        return n;
    }

    /** Group size. */
    public int m() {
        return m;
    }

    @Override
    public long nonZeros() {
        return nonZeros;
    }

    @Override
    public long storedValues() {
        return values.length;
    }

    /** [N, ceil(K / m), n], a copy. */
    public float[] values() {
        return values.clone();
    }

    /** [N, ceil(K / m), n] position of each value within its group, a copy. */
    public byte[] positions() {
        return positions.clone();
    }

    @Override
    public String toString() {
        return "NmLinear[" + rows + ", " + cols + "] " + kernel() + " nnz=" + nonZeros;
    }
}
