// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.tensor.FloatTensor;

/**
 * A projection whose weight W [N, K] is stored as R x C blocks in blocked CSR: block row i (rows
 * i·R .. i·R + R - 1) keeps blocks [blockPtr[i], blockPtr[i + 1]), each with its block column
 * (columns blockCol·C ..) and its R·C values column by column ([C, R]: the R weights of one block
 * column are adjacent, the order the kernel reads them in), zeros inside a kept block included.
 * Edge blocks past N or K are zero padded. The kernel loads C activation vectors per block and
 * feeds R·C FMAs from them. Immutable.
 */
public final class BlockCsrLinear implements SparseLinear {
    /** Largest block side. */
    static final int MAX_BLOCK = 64;

    /** Checks that R x C is a block shape this format stores: both sides in [1, {@link #MAX_BLOCK}]. */
    static void checkBlock(int r, int c) {
        if (r < 1 || c < 1 || r > MAX_BLOCK || c > MAX_BLOCK) {
            throw new LacunaException("block pattern: block sides must be in [1, " + MAX_BLOCK + "], got " + r + "x" + c);
        }
    }

    private final int rows;         // N
    private final int cols;         // K
    private final int br, bc;       // R, C
    private final int[] blockPtr;   // [ceil(N / R) + 1]
    private final int[] blockCols;  // [B]
    private final float[] values;   // [B, C, R]
    private final FloatTensor bias; // [N] or null
    private final long nonZeros;

    private BlockCsrLinear(int rows, int cols, int br, int bc, int[] blockPtr, int[] blockCols, float[] values, FloatTensor bias) {
        this.rows = rows;
        this.cols = cols;
        this.br = br;
        this.bc = bc;
        this.blockPtr = blockPtr;
        this.blockCols = blockCols;
        this.values = values;
        this.bias = bias;
        long nz = 0;
        for (float v : values) if (v != 0f) nz++;
        this.nonZeros = nz;
    }

    /**
     * The R x C blocked form of a masked weight W [N, K] and bias [N] or null: every block holding
     * a non-zero is kept whole. Any mask can be stored; how well it suits the format is
     * {@link #fill(FloatTensor, int, int)}.
     */
    public static BlockCsrLinear fromDense(FloatTensor weight, FloatTensor bias, int r, int c) {
        checkBlock(r, c);
        String what = "block" + r + "x" + c;
        Shapes.weightAndBias(what, weight, bias);
        int n = weight.dim(0), k = weight.dim(1);
        int nbr = (n + r - 1) / r, nbc = (k + c - 1) / c;
        float[] w = weight.data();
        int[] ptr = new int[nbr + 1];
        long kept = 0;
        for (int i = 0; i < nbr; i++) {
            for (int j = 0; j < nbc; j++) if (anyNonZero(w, n, k, r, c, i, j)) kept++;
            if (kept * r * c > Integer.MAX_VALUE - 8) throw new LacunaException(what + ": weight " + weight.shapeString() + " is too large");
            ptr[i + 1] = (int) kept;
        }
        int[] bcols = new int[(int) kept];
        float[] vals = new float[(int) kept * r * c];
        int b = 0;
        for (int i = 0; i < nbr; i++) {
            for (int j = 0; j < nbc; j++) {
                if (!anyNonZero(w, n, k, r, c, i, j)) continue;
                bcols[b] = j;
                for (int q = 0; q < r; q++) {
                    for (int p = 0; p < c; p++) {
                        int row = i * r + q, col = j * c + p;
                        if (row < n && col < k) vals[(b * c + p) * r + q] = w[row * k + col];
                    }
                }
                b++;
            }
        }
        return new BlockCsrLinear(n, k, r, c, ptr, bcols, vals, bias);
    }

    private static boolean anyNonZero(float[] w, int n, int k, int r, int c, int i, int j) {
        for (int row = i * r; row < Math.min(n, i * r + r); row++) {
            for (int col = j * c; col < Math.min(k, j * c + c); col++) if (w[row * k + col] != 0f) return true;
        }
        return false;
    }

    /**
     * Non-zeros of W [N, K] over the entries of its R x C blocks that hold a non-zero (edge blocks
     * counted whole): 1 when the mask is exactly block-structured, 1 as well for an all-zero W.
     */
    public static double fill(FloatTensor weight, int r, int c) {
        checkBlock(r, c);
        Shapes.weightAndBias("block" + r + "x" + c, weight, null);
        int n = weight.dim(0), k = weight.dim(1);
        float[] w = weight.data();
        long kept = 0, nz = 0;
        for (int i = 0; i < (n + r - 1) / r; i++) {
            for (int j = 0; j < (k + c - 1) / c; j++) {
                long inBlock = 0;
                for (int row = i * r; row < Math.min(n, i * r + r); row++) {
                    for (int col = j * c; col < Math.min(k, j * c + c); col++) if (w[row * k + col] != 0f) inBlock++;
                }
                if (inBlock > 0) {
                    kept++;
                    nz += inBlock;
                }
            }
        }
        return kept == 0 ? 1.0 : (double) nz / (kept * r * c);
    }

    /**
     * Rebuilds a blocked weight from its arrays (as {@link #blockPointers()}, {@link #blockColumns()}
     * and {@link #values()} return them), checking them.
     *
     * @param rows          N
     * @param cols          K
     * @param blockPointers [ceil(N / R) + 1], from 0 to B, non-decreasing
     * @param blockColumns  [B], in [0, ceil(K / C)), increasing within a block row
     * @param values        [B, C, R] (block b's weight at row q, column p is values[(b·C + p)·R + q]),
     *                      0 at entries past N or K
     * @param bias          [N] or null
     */
    public static BlockCsrLinear of(int rows, int cols, int r, int c, int[] blockPointers, int[] blockColumns, float[] values, FloatTensor bias) {
        checkBlock(r, c);
        String what = "block" + r + "x" + c;
        Shapes.dims(what, rows, cols);
        Shapes.checkBias(what, rows, bias);
        int nbr = (rows + r - 1) / r, nbc = (cols + c - 1) / c;
        if (blockPointers.length != nbr + 1) throw new LacunaException(what + ": block pointers have " + blockPointers.length + " entries, " + nbr + " block rows need " + (nbr + 1));
        int blocks = blockColumns.length;
        if ((long) blocks * r * c != values.length) throw new LacunaException(what + ": " + blocks + " blocks need " + (long) blocks * r * c + " values, got " + values.length);
        if (blockPointers[0] != 0 || blockPointers[nbr] != blocks) {
            throw new LacunaException(what + ": block pointers must run from 0 to " + blocks + ", got " + blockPointers[0] + " .. " + blockPointers[nbr]);
        }
        // all pointers first: one past the blocks would otherwise surface as a wrong column order
        for (int i = 0; i < nbr; i++) {
            int s = blockPointers[i], e = blockPointers[i + 1];
            if (e < s) throw new LacunaException(what + ": block pointers decrease at block row " + i + " (" + s + " then " + e + ")");
            if (e > blocks) throw new LacunaException(what + ": block pointer " + (i + 1) + " is " + e + ", past the " + blocks + " blocks");
        }
        for (int i = 0; i < nbr; i++) {
            int s = blockPointers[i], e = blockPointers[i + 1];
            for (int b = s; b < e; b++) {
                int j = blockColumns[b];
                if (j < 0 || j >= nbc) throw new LacunaException(what + ": block row " + i + " has block column " + j + ", outside [0, " + nbc + ")");
                if (b > s && j <= blockColumns[b - 1]) throw new LacunaException(what + ": block row " + i + " block columns not increasing (" + blockColumns[b - 1] + " then " + j + ")");
                for (int q = 0; q < r; q++) {
                    for (int p = 0; p < c; p++) {
                        float v = values[(b * c + p) * r + q];
                        if ((i * r + q >= rows || j * c + p >= cols) && v != 0f) {
                            throw new LacunaException(what + ": value " + v + " at [" + (i * r + q) + ", " + (j * c + p) + "] lies outside the weight [" + rows + ", " + cols + "]");
                        }
                    }
                }
            }
        }
        return new BlockCsrLinear(rows, cols, r, c, blockPointers.clone(), blockColumns.clone(), values.clone(), bias);
    }

    @Override
    public void apply(Parallel par, float[] x, int tokens, float[] y) {
        Shapes.apply(kernel(), x, tokens, cols, y, rows);
        applyWith(SparseProducts.get(), par, x, tokens, y);
    }

    /** {@link #apply} with a chosen implementation (tests compare them). */
    void applyWith(SparseProducts impl, Parallel par, float[] x, int tokens, float[] y) {
        impl.block(par, x, tokens, cols, rows, br, bc, blockPtr, blockCols, values, bias == null ? null : bias.data(), y);
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
        for (int i = 0; i + 1 < blockPtr.length; i++) {
            for (int b = blockPtr[i]; b < blockPtr[i + 1]; b++) {
                for (int q = 0; q < br; q++) {
                    for (int p = 0; p < bc; p++) {
                        int row = i * br + q, col = blockCols[b] * bc + p;
                        if (row < rows && col < cols) w[row * cols + col] = values[(b * bc + p) * br + q];
                    }
                }
            }
        }
        return new FloatTensor(new int[] {rows, cols}, w);
    }

    @Override
    public FloatTensor bias() {
        return bias;
    }

    /** {@code blockRxC}, e.g. {@code block4x4}. */
    @Override
    public String kernel() {
        return "block" + br + "x" + bc;
    }

    /** R, rows per block. */
    public int blockRows() {
        return br;
    }

    /** C, columns per block. */
    public int blockCols() {
        return bc;
    }

    @Override
    public long nonZeros() {
        return nonZeros;
    }

    @Override
    public long storedValues() {
        return values.length;
    }

    /** Kept blocks. */
    public int blocks() {
        return blockCols.length;
    }

    /** [ceil(N / R) + 1], a copy. */
    public int[] blockPointers() {
        return blockPtr.clone();
    }

    /** [B] block column of each kept block, a copy. */
    public int[] blockColumns() {
        return blockCols.clone();
    }

    /** [B, C, R], a copy. */
    public float[] values() {
        return values.clone();
    }

    @Override
    public String toString() {
        return "BlockCsrLinear[" + rows + ", " + cols + "] " + kernel() + " blocks=" + blockCols.length + " nnz=" + nonZeros;
    }
}
