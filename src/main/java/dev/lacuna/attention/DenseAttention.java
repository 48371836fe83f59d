package dev.lacuna.attention;

import dev.lacuna.kernel.Ops;

/**
 * Exact attention of one head: materialises the [length, length] score rows one query at a time
 * (O(length) scratch), softmax in float, then a weighted sum of value rows.
 */
public final class DenseAttention implements AttentionKernel {
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
        for (int t = 0; t < length; t++) {
            int qo = (start + t) * stride + col;
            for (int j = 0; j < length; j++) {
                scratch[j] = Ops.dot(q, qo, k, (start + j) * stride + col, headDim) * scale;
            }
            Ops.softmax(scratch, 0, length);
            java.util.Arrays.fill(out, qo, qo + headDim, 0f);
            for (int j = 0; j < length; j++) {
                Ops.axpy(scratch[j], v, (start + j) * stride + col, out, qo, headDim);
            }
        }
    }
}
