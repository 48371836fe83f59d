// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

/**
 * Base of this package's kernels: {@link #attend} is {@link #attendRows} over all rows, and buffers
 * come from the per-thread {@link Workspace}, so no caller scratch is needed.
 */
abstract class AbstractKernel implements AttentionKernel {
    @Override
    public final void attend(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                             int headDim, float scale, float[] scratch) {
        attendRows(q, k, v, out, stride, start, length, col, headDim, scale, scratch, 0, length, null);
    }

    @Override
    public int scratchSize(int length, int headDim) {
        return 0;
    }

    @Override
    public abstract long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length,
                                    int col, int headDim, float scale, float[] scratch, int rowFrom, int rowTo,
                                    float[] lse);

    @Override
    public String toString() {
        return name();
    }
}
