// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import java.util.Arrays;

/**
 * A head that is not computed: its output rows are zero, so the layer's output projection receives
 * nothing from it and the layer output is the exact one less W_o,h z_h (the head's contribution).
 * Head skipping of Sparse-vDiT (Chen et al., 2025: "3-6% of attention heads can be skipped"); no
 * query, key or value of the head is read.
 */
public final class SkippedHead implements AttentionKernel {
    @Override
    public String name() {
        return "skip";
    }

    @Override
    public void attend(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                       int headDim, float scale, float[] scratch) {
        zero(out, stride, start, 0, length, col, headDim);
    }

    @Override
    public int scratchSize(int length, int headDim) {
        return 0;
    }

    /** Zero output rows, lse -inf (no key kept), and no pair entered a softmax. */
    @Override
    public long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                           int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        zero(out, stride, start, rowFrom, rowTo, col, headDim);
        if (lse != null) Arrays.fill(lse, rowFrom, rowTo, Float.NEGATIVE_INFINITY);
        return 0;
    }

    private static void zero(float[] out, int stride, int start, int rowFrom, int rowTo, int col, int headDim) {
        for (int i = rowFrom; i < rowTo; i++) {
            int o = (start + i) * stride + col;
            Arrays.fill(out, o, o + headDim, 0f);
        }
    }
}
