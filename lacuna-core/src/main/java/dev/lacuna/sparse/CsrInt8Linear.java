// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Int8Weight;
import dev.lacuna.tensor.FloatTensor;

/**
 * {@link CsrLinear} with int8 values and one scale per row (per output channel, symmetric, as
 * {@link Int8Weight}): the pruned weight's kept entries in a quarter of the value bytes. The kernel
 * is the CSR one with each entry formed as q·scale in float just before use, so outputs are bit for
 * bit those of {@link CsrLinear} on the dequantized weight (entries that round to 0 stay stored).
 * Immutable.
 */
public final class CsrInt8Linear implements SparseLinear {
    private final int n;            // N, output features
    private final int k;            // K, input features
    private final int[] rowPtr;     // [N + 1]
    private final char[] cols;      // [nnz] when K ≤ 65536, else null
    private final int[] wide;       // [nnz] when K > 65536, else null
    private final byte[] values;    // [nnz] int8 in [-127, 127]
    private final float[] scale;    // [N]
    private final FloatTensor bias; // [N] or null
    private final long nonZeros;

    private CsrInt8Linear(int n, int k, int[] rowPtr, int[] colIdx, byte[] values, float[] scale, FloatTensor bias) {
        this.n = n;
        this.k = k;
        this.rowPtr = rowPtr;
        if (k <= CsrLinear.MAX_COMPACT_K) {
            cols = new char[colIdx.length];
            for (int i = 0; i < colIdx.length; i++) cols[i] = (char) colIdx[i];
            wide = null;
        } else {
            cols = null;
            wide = colIdx;
        }
        this.values = values;
        this.scale = scale;
        this.bias = bias;
        long nz = 0;
        for (byte v : values) if (v != 0) nz++;
        this.nonZeros = nz;
    }

    /** Quantizes a masked weight W [N, K] per row (its zeros are the pruned entries, the rest are stored). */
    public static CsrInt8Linear fromDense(FloatTensor weight, FloatTensor bias) {
        Shapes.weightAndBias("csr-int8", weight, bias);
        Int8Weight q = Int8Weight.quantize(weight);
        CsrLinear structure = CsrLinear.fromDense(weight, null);
        int[] ptr = structure.rowPointers(), colIdx = structure.columnIndices();
        byte[] vals = new byte[colIdx.length];
        int kk = weight.dim(1);
        for (int r = 0; r < weight.dim(0); r++) {
            for (int j = ptr[r]; j < ptr[r + 1]; j++) vals[j] = q.values()[r * kk + colIdx[j]];
        }
        return new CsrInt8Linear(weight.dim(0), kk, ptr, colIdx, vals, q.scales(), bias);
    }

    /**
     * Rebuilds from the arrays {@link #rowPointers()}, {@link #columnIndices()}, {@link #int8Values()}
     * and {@link #scales()} return, checking them.
     */
    public static CsrInt8Linear of(int rows, int cols, int[] rowPointers, int[] columnIndices, byte[] values, float[] scales, FloatTensor bias) {
        Shapes.dims("csr-int8", rows, cols);
        Shapes.checkBias("csr-int8", rows, bias);
        CsrLinear.checkStructure(rows, cols, rowPointers, columnIndices, values.length);
        if (scales.length != rows) throw new LacunaException("csr-int8: " + scales.length + " scales for " + rows + " rows");
        for (int r = 0; r < rows; r++) {
            if (!(scales[r] >= 0) || !Float.isFinite(scales[r])) throw new LacunaException("csr-int8: row " + r + " has scale " + scales[r] + " (must be finite and >= 0)");
        }
        for (int j = 0; j < values.length; j++) {
            if (values[j] == Byte.MIN_VALUE) throw new LacunaException("csr-int8: value " + j + " is -128 (symmetric int8 uses [-127, 127])");
        }
        return new CsrInt8Linear(rows, cols, rowPointers.clone(), columnIndices.clone(), values.clone(), scales.clone(), bias);
    }

    @Override
    public void apply(Parallel par, float[] x, int tokens, float[] y) {
        Shapes.apply("csr-int8", x, tokens, k, y, n);
        applyWith(SparseProducts.get(), par, x, tokens, y);
    }

    /** {@link #apply} with a chosen implementation (tests compare them). */
    void applyWith(SparseProducts impl, Parallel par, float[] x, int tokens, float[] y) {
        impl.csrInt8(par, x, tokens, k, n, rowPtr, cols, wide, values, scale, bias == null ? null : bias.data(), y);
    }

    @Override
    public int inFeatures() {
        return k;
    }

    @Override
    public int outFeatures() {
        return n;
    }

    /** W' = q·scale per row at the stored entries, zeros elsewhere. */
    @Override
    public FloatTensor weight() {
        float[] w = new float[n * k];
        for (int r = 0; r < n; r++) {
            for (int j = rowPtr[r]; j < rowPtr[r + 1]; j++) w[r * k + column(j)] = values[j] * scale[r];
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
        return "csr-int8";
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

    /** [nnz] column of each stored value, a copy. */
    public int[] columnIndices() {
        int[] c = new int[values.length];
        for (int j = 0; j < c.length; j++) c[j] = column(j);
        return c;
    }

    /** [nnz] int8, a copy. */
    public byte[] int8Values() {
        return values.clone();
    }

    /** [N], a copy. */
    public float[] scales() {
        return scale.clone();
    }

    @Override
    public String toString() {
        return "CsrInt8Linear[" + n + ", " + k + "] nnz=" + nonZeros;
    }
}
