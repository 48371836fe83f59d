// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.tensor.FloatTensor;

/**
 * A weight W [N, K] quantized to int8 per output channel, symmetric: scale_j = max_p |W[j][p]| / 127
 * and Q[j][p] = round(W[j][p] / scale_j) clamped to [-127, 127], so W ≈ diag(scale) · Q. A row of zeros
 * has scale 0 and Q 0. The rounding error per weight is at most scale_j / 2 (W8A32 as in
 * LLM.int8()'s vector-wise quantization, Dettmers et al. 2022, Section 3.1, without its outlier split).
 *
 * @param rows   N, output features
 * @param cols   K, input features
 * @param values Q [N, K] row-major, each in [-127, 127]
 * @param scales [N], finite and ≥ 0
 */
public record Int8Weight(int rows, int cols, byte[] values, float[] scales) {
    /** The largest |Q|: symmetric, so -128 is never used. */
    public static final int QMAX = 127;

    public Int8Weight {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("int8 weight: negative shape [" + rows + ", " + cols + "]");
        if (values.length != (long) rows * cols) throw new IllegalArgumentException("int8 weight: " + values.length + " values, [" + rows + ", " + cols + "] needs " + (long) rows * cols);
        if (scales.length != rows) throw new IllegalArgumentException("int8 weight: " + scales.length + " scales for " + rows + " rows");
        for (int j = 0; j < rows; j++) {
            if (!(scales[j] >= 0) || !Float.isFinite(scales[j])) throw new IllegalArgumentException("int8 weight: row " + j + " has scale " + scales[j] + " (must be finite and >= 0)");
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == Byte.MIN_VALUE) throw new IllegalArgumentException("int8 weight: row " + i / Math.max(1, cols) + " column " + i % Math.max(1, cols) + " is -128 (symmetric int8 uses [-127, 127])");
        }
    }

    /**
     * Quantizes W per output channel.
     *
     * @param w [N, K]; every value finite
     */
    public static Int8Weight quantize(FloatTensor w) {
        if (w.rank() != 2) throw new IllegalArgumentException("int8 weight must be [out, in], got " + w.shapeString());
        int n = w.dim(0), k = w.dim(1);
        float[] d = w.data();
        byte[] q = new byte[n * k];
        float[] s = new float[n];
        for (int j = 0; j < n; j++) {
            float max = 0f;
            for (int p = 0; p < k; p++) {
                float v = d[j * k + p];
                if (!Float.isFinite(v)) throw new IllegalArgumentException("int8 weight: row " + j + " column " + p + " is " + v);
                max = Math.max(max, Math.abs(v));
            }
            if (max == 0f) continue;
            float scale = max / QMAX;
            s[j] = scale;
            for (int p = 0; p < k; p++) {
                int v = Math.round(d[j * k + p] / scale);
                q[j * k + p] = (byte) Math.max(-QMAX, Math.min(QMAX, v));
            }
        }
        return new Int8Weight(n, k, q, s);
    }

    /** W' [N, K] = diag(scale) · Q, the weight the int8 kernel computes with. */
    public FloatTensor dequantize() {
        float[] d = new float[values.length];
        for (int j = 0; j < rows; j++) for (int p = 0; p < cols; p++) d[j * cols + p] = values[j * cols + p] * scales[j];
        return new FloatTensor(new int[] {rows, cols}, d);
    }
}
