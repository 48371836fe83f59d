// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.tensor.FloatTensor;

/**
 * A projection with an unstructured sparse weight W [N, K] in compressed sparse rows (CSR): row n's
 * non-zeros are values[rowPtr[n] .. rowPtr[n + 1]) at increasing columns. Columns are stored in 16
 * bits when K ≤ 65536. The kernel is XNNPACK's SpMM (Elsen et al. 2019), see
 * {@link VectorSparseProducts}. Immutable.
 */
public final class CsrLinear implements SparseLinear {
    /** Widest K whose columns fit the 16-bit index array. */
    static final int MAX_COMPACT_K = 1 << 16;

    private final int n;            // N, output features
    private final int k;            // K, input features
    private final int[] rowPtr;     // [N + 1]
    private final char[] cols;      // [nnz] when K ≤ 65536, else null
    private final int[] wide;       // [nnz] when K > 65536, else null
    private final float[] values;   // [nnz]
    private final FloatTensor bias; // [N] or null
    private final long nonZeros;

    private CsrLinear(int n, int k, int[] rowPtr, int[] colIdx, float[] values, FloatTensor bias) {
        this.n = n;
        this.k = k;
        this.rowPtr = rowPtr;
        if (k <= MAX_COMPACT_K) {
            cols = new char[colIdx.length];
            for (int i = 0; i < colIdx.length; i++) cols[i] = (char) colIdx[i];
            wide = null;
        } else {
            cols = null;
            wide = colIdx;
        }
        this.values = values;
        this.bias = bias;
        long nz = 0;
        for (float v : values) if (v != 0f) nz++;
        this.nonZeros = nz;
    }

    /** The CSR form of a masked weight W [N, K] (its zeros are the pruned entries) and bias [N] or null. */
    public static CsrLinear fromDense(FloatTensor weight, FloatTensor bias) {
        Shapes.weightAndBias("csr", weight, bias);
        int n = weight.dim(0), k = weight.dim(1);
        float[] w = weight.data();
        int[] ptr = new int[n + 1];
        long nnz = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) if (w[r * k + c] != 0f) nnz++;
            if (nnz > Integer.MAX_VALUE - 8) throw new LacunaException("csr: weight " + weight.shapeString() + " has too many non-zeros for one array");
            ptr[r + 1] = (int) nnz;
        }
        int[] cols = new int[(int) nnz];
        float[] vals = new float[(int) nnz];
        int j = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) {
                float v = w[r * k + c];
                if (v != 0f) {
                    cols[j] = c;
                    vals[j++] = v;
                }
            }
        }
        return new CsrLinear(n, k, ptr, cols, vals, bias);
    }

    /**
     * Rebuilds a CSR weight from its arrays (as {@link #rowPointers()}, {@link #columnIndices()} and
     * {@link #values()} return them), checking them.
     *
     * @param rows          N
     * @param cols          K
     * @param rowPointers   [N + 1], from 0 to nnz, non-decreasing
     * @param columnIndices [nnz], in [0, K), increasing within a row
     * @param values        [nnz]
     * @param bias          [N] or null
     */
    public static CsrLinear of(int rows, int cols, int[] rowPointers, int[] columnIndices, float[] values, FloatTensor bias) {
        Shapes.dims("csr", rows, cols);
        Shapes.checkBias("csr", rows, bias);
        checkStructure(rows, cols, rowPointers, columnIndices, values.length);
        return new CsrLinear(rows, cols, rowPointers.clone(), columnIndices.clone(), values.clone(), bias);
    }

    /** Checks CSR arrays of [rows, cols] with {@code nnz} stored values, as {@link #of} states them. */
    static void checkStructure(int rows, int cols, int[] rowPointers, int[] columnIndices, int nnz) {
        if (rowPointers.length != rows + 1) throw new LacunaException("csr: row pointers have " + rowPointers.length + " entries, " + rows + " rows need " + (rows + 1));
        if (columnIndices.length != nnz) throw new LacunaException("csr: " + columnIndices.length + " column indices for " + nnz + " values");
        if (rowPointers[0] != 0 || rowPointers[rows] != nnz) {
            throw new LacunaException("csr: row pointers must run from 0 to " + nnz + ", got " + rowPointers[0] + " .. " + rowPointers[rows]);
        }
        // all pointers first: one past the non-zeros would otherwise surface as a wrong column order
        for (int r = 0; r < rows; r++) {
            int s = rowPointers[r], e = rowPointers[r + 1];
            if (e < s) throw new LacunaException("csr: row pointers decrease at row " + r + " (" + s + " then " + e + ")");
            if (e > nnz) throw new LacunaException("csr: row pointer " + (r + 1) + " is " + e + ", past the " + nnz + " non-zeros");
        }
        for (int r = 0; r < rows; r++) {
            int s = rowPointers[r], e = rowPointers[r + 1];
            for (int j = s; j < e; j++) {
                int c = columnIndices[j];
                if (c < 0 || c >= cols) throw new LacunaException("csr: row " + r + " has column " + c + ", outside [0, " + cols + ")");
                if (j > s && c <= columnIndices[j - 1]) throw new LacunaException("csr: row " + r + " columns not increasing (" + columnIndices[j - 1] + " then " + c + ")");
            }
        }
    }

    @Override
    public void apply(Parallel par, float[] x, int tokens, float[] y) {
        Shapes.apply("csr", x, tokens, k, y, n);
        applyWith(SparseProducts.get(), par, x, tokens, y);
    }

    /** {@link #apply} with a chosen implementation (tests compare them). */
    void applyWith(SparseProducts impl, Parallel par, float[] x, int tokens, float[] y) {
        impl.csr(par, x, tokens, k, n, rowPtr, cols, wide, values, bias == null ? null : bias.data(), y);
    }

    @Override
    public int inFeatures() {
        return k;
    }

    @Override
    public int outFeatures() {
        return n;
    }

    @Override
    public FloatTensor weight() {
        float[] w = new float[n * k];
        for (int r = 0; r < n; r++) {
            for (int j = rowPtr[r]; j < rowPtr[r + 1]; j++) w[r * k + column(j)] = values[j];
        }
        return new FloatTensor(new int[] {n, k}, w);
    }

    private int column(int j) {
        return cols != null ? cols[j] : wide[j];
    }

    @Override
    public FloatTensor bias() {
        return bias;
    }

    @Override
    public String kernel() {
        return "csr";
    }

    @Override
    public long nonZeros() {
        return nonZeros;
    }

    @Override
    public long storedValues() {
        return values.length;
    }

    /** [N + 1], a copy. */
    public int[] rowPointers() {
        return rowPtr.clone();
    }

    /** [nnz] column of each stored value, a copy (fits 16 bits unsigned when K ≤ 65536). */
    public int[] columnIndices() {
        int[] c = new int[values.length];
        for (int j = 0; j < c.length; j++) c[j] = column(j);
        return c;
    }

    /** [nnz], a copy. */
    public float[] values() {
        return values.clone();
    }

    @Override
    public String toString() {
        return "CsrLinear[" + n + ", " + k + "] nnz=" + nonZeros;
    }
}
