// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.kernel.Ops;

import java.util.Arrays;

/**
 * Exact attention of one head, the algorithmic reference of every kernel in this package: one query
 * at a time, the score row over the keys a mask allows (O(length) scratch), softmax, weighted sum of
 * value rows. Scalar; slow by design.
 */
public final class DenseAttention implements AttentionKernel {
    private final AttentionMask mask;
    private final boolean causal;

    /** Dense bidirectional attention. */
    public DenseAttention() {
        this(null, false);
    }

    /**
     * @param mask   keys each query may attend to; null for all
     * @param causal keep only keys j <= i
     */
    public DenseAttention(AttentionMask mask, boolean causal) {
        this.mask = mask;
        this.causal = causal;
    }

    @Override
    public String name() {
        return "dense";
    }

    @Override
    public int scratchSize(int length, int headDim) {
        return length;
    }

    @Override
    public void attend(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                       int headDim, float scale, float[] scratch) {
        attendRows(q, k, v, out, stride, start, length, col, headDim, scale, scratch, 0, length, null);
    }

    @Override
    public long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                           int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        AttentionMask mk = mask == null ? null : mask.forHead(col / headDim, stride / headDim);
        long kept = 0;
        for (int t = rowFrom; t < rowTo; t++) {
            int qo = (start + t) * stride + col;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < length; j++) {
                if ((causal && j > t) || (mk != null && !mk.allows(t, j, length))) {
                    scratch[j] = Float.NEGATIVE_INFINITY;
                } else {
                    scratch[j] = Ops.dot(q, qo, k, (start + j) * stride + col, headDim) * scale;
                    max = Math.max(max, scratch[j]);
                    kept++;
                }
            }
            Arrays.fill(out, qo, qo + headDim, 0f);
            if (max == Float.NEGATIVE_INFINITY) {
                if (lse != null) lse[t] = Float.NEGATIVE_INFINITY;
                continue;
            }
            double sum = 0;
            for (int j = 0; j < length; j++) {
                float p = scratch[j] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(scratch[j] - max);
                scratch[j] = p;
                sum += p;
            }
            float inv = (float) (1 / sum);
            for (int j = 0; j < length; j++) {
                if (scratch[j] != 0f) Ops.axpy(scratch[j] * inv, v, (start + j) * stride + col, out, qo, headDim);
            }
            if (lse != null) lse[t] = (float) (max + Math.log(sum));
        }
        return kept;
    }
}
