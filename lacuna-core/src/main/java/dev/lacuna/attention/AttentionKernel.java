// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import java.util.Arrays;

/**
 * The attention seam: computes out = softmax(q · kᵀ · scale) · v for one head of one sequence.
 *
 * <p>Sequences are packed without padding: q, k, v and out are [tokens, C] row-major with
 * C = heads x headDim, and a sequence occupies rows [start, start + length). Head h uses columns
 * [h * headDim, (h + 1) * headDim). A kernel writes exactly its head's columns of its rows.
 * Sparse kernels compute the softmax over the keys they keep, renormalised.
 */
public interface AttentionKernel {
    /** A short name, e.g. {@code dense}. */
    String name();

    /**
     * @param q       [tokens, C] queries (rows of this sequence are read)
     * @param k       [tokens, C] keys
     * @param v       [tokens, C] values
     * @param out     [tokens, C] output, this head's columns of this sequence's rows are written
     * @param stride  C, the row stride of all four arrays
     * @param start   first row of the sequence
     * @param length  number of tokens of the sequence
     * @param col     first column of the head (h * headDim)
     * @param headDim D
     * @param scale   1 / sqrt(D)
     * @param scratch at least {@code scratchSize(length, headDim)} floats owned by the calling thread
     */
    void attend(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                int headDim, float scale, float[] scratch);

    /** Scratch floats needed by {@link #attend} for a sequence of {@code length} tokens. */
    int scratchSize(int length, int headDim);

    /**
     * {@link #attend} for the query rows [rowFrom, rowTo) of the sequence only (indices within the
     * sequence; keys are still all of its rows), reporting what the kernel kept. Benchmarks use it to
     * measure sampled queries and calibration to compare methods.
     *
     * <p>The default, for kernels that do not implement it, computes every row, reports NaN mass
     * and every pair as kept.
     *
     * @param lse     [length] or null; lse[t] for t in [rowFrom, rowTo) receives ln Σ_j exp(scale q_t·k_j)
     *                over the keys j that row t kept. With the exact value from a dense kernel,
     *                exp(lse_sparse - lse_dense) is the attention mass the sparse kernel captured.
     *                -inf for a row that kept nothing (its output is zero).
     * @return the number of (query, key) pairs whose weight entered a softmax
     */
    default long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                            int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        float[] s = scratch.length >= scratchSize(length, headDim) ? scratch : new float[scratchSize(length, headDim)];
        attend(q, k, v, out, stride, start, length, col, headDim, scale, s);
        if (lse != null) Arrays.fill(lse, rowFrom, rowTo, Float.NaN);
        return (long) (rowTo - rowFrom) * length;
    }
}
