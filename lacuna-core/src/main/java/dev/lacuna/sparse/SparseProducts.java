// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.KernelProvider;

/**
 * The sparse products y[T, N] = x[T, K] · Wᵀ + b, one method per weight format, in two
 * implementations: {@link ScalarSparseProducts} (the plain-loop reference) and
 * {@link VectorSparseProducts} (the Vector API kernels). {@link #get()} is the one the formats use.
 *
 * <p>Both compute every output as one fused multiply-add chain over the row's stored values in
 * increasing column order, starting from +0, then add the bias: the two agree bit for bit, and with
 * the thread count. Implementations trust their arguments; the formats validate them.
 *
 * <p>Shapes: T tokens, K input features, N output features; x [T, K] and y [T, N] row-major.
 */
interface SparseProducts {
    /** The implementation in use: Vector API unless unavailable or {@code -Dlacuna.scalar=true}. */
    static SparseProducts get() {
        return Chosen.INSTANCE;
    }

    /** The scalar reference. */
    static SparseProducts scalar() {
        return ScalarSparseProducts.INSTANCE;
    }

    /** The Vector API implementation, or null where the module is missing or too narrow. */
    static SparseProducts vector() {
        return Vector.INSTANCE;
    }

    /** Picked once by {@link KernelProvider}, as the dense kernels are; loads the Vector API only when used. */
    final class Chosen {
        private Chosen() {}

        static final SparseProducts INSTANCE = KernelProvider.choose(ScalarSparseProducts.INSTANCE, SparseProducts::vector);
    }

    /** Loaded on first use only (never when the scalar one is forced). */
    final class Vector {
        private Vector() {}

        static final SparseProducts INSTANCE = KernelProvider.loadVector("sparse kernels", () -> VectorSparseProducts.INSTANCE);
    }

    String name();

    /**
     * W in compressed sparse rows.
     *
     * @param x      [T, K]
     * @param rowPtr [N + 1] row n's entries are [rowPtr[n], rowPtr[n + 1])
     * @param cols   [nnz] column of each entry when K ≤ 65536, else null
     * @param wide   [nnz] column of each entry when K > 65536, else null
     * @param values [nnz]
     * @param bias   [N] or null
     * @param y      [T, N], overwritten
     */
    void csr(Parallel par, float[] x, int tokens, int k, int n, int[] rowPtr, char[] cols, int[] wide, float[] values, float[] bias, float[] y);

    /**
     * W in compressed sparse rows with int8 values and one scale per row: entry j of row r is
     * values[j]·scale[r], formed in float and then used as {@link #csr} uses its value, so the result
     * is bit for bit that of {@link #csr} on the dequantized values.
     *
     * @param values [nnz] int8
     * @param scale  [N]
     */
    void csrInt8(Parallel par, float[] x, int tokens, int k, int n, int[] rowPtr, char[] cols, int[] wide, byte[] values, float[] scale, float[] bias, float[] y);

    /**
     * W with at most nn non-zeros in each group of m columns; G = ceil(K / m) groups per row, each
     * with exactly nn slots (padding slots hold 0).
     *
     * @param x         [T, K]
     * @param values    [N, G, nn]
     * @param positions [N, G, nn] column within the group, increasing within a group; columns ≥ K hold 0
     * @param bias      [N] or null
     * @param y         [T, N], overwritten
     */
    void nOfM(Parallel par, float[] x, int tokens, int k, int n, int nn, int m, float[] values, byte[] positions, float[] bias, float[] y);

    /**
     * W in blocked CSR of R x C blocks: block row i (rows i·R ..) keeps blocks [blockPtr[i], blockPtr[i + 1]).
     *
     * @param x         [T, K]
     * @param blockPtr  [ceil(N / R) + 1]
     * @param blockCols [B] block column of each kept block (columns blockCol·C ..), increasing within a block row
     * @param values    [B, C, R] each block column by column; entries outside W hold 0
     * @param bias      [N] or null
     * @param y         [T, N], overwritten
     */
    void block(Parallel par, float[] x, int tokens, int k, int n, int r, int c, int[] blockPtr, int[] blockCols, float[] values, float[] bias, float[] y);
}
