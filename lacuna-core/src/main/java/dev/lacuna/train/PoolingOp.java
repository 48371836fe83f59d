// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.model.Pooling;

/**
 * Pooling of packed token states into one vector per sequence, then L2 normalisation, and the backward.
 * Shapes: T packed tokens, C hidden, B sequences. With m the pooled vector and n = max(‖m‖, 1e-12),
 * e = m / n.
 */
public final class PoolingOp {
    private PoolingOp() {}

    /**
     * e = normalise(pool(hidden)), exactly as {@link Pooling#pool} with normalisation.
     *
     * @param hidden    [T, C]
     * @param seqStarts [B + 1]
     * @return [B][C]
     */
    public static float[][] forward(Pooling pooling, float[] hidden, int c, int[] seqStarts) {
        return pooling.pool(hidden, c, seqStarts, true);
    }

    /**
     * dm = (de − e·(e·de)) / n (de / n where the norm was clamped), then dm spread over the pooled
     * tokens: ÷ L to each token of the sequence (mean) or to its first token (CLS).
     *
     * @param hidden [T, C] the forward's input
     * @param de     [B][C] gradient on the embeddings
     * @param dh     [T, C] overwritten
     */
    public static void backward(Pooling pooling, float[] hidden, int c, int[] seqStarts, float[][] de, float[] dh) {
        java.util.Arrays.fill(dh, 0, seqStarts[seqStarts.length - 1] * c, 0f);
        float[][] m = pooling.pool(hidden, c, seqStarts, false);
        for (int s = 0; s < seqStarts.length - 1; s++) {
            int start = seqStarts[s], len = seqStarts[s + 1] - start;
            double ss = 0;
            for (float x : m[s]) ss += (double) x * x;
            double norm = Math.sqrt(ss);
            double[] dm = new double[c];
            if (norm > 1e-12) {
                double edot = 0;
                for (int j = 0; j < c; j++) edot += m[s][j] / norm * de[s][j];
                for (int j = 0; j < c; j++) dm[j] = (de[s][j] - m[s][j] / norm * edot) / norm;
            } else {
                for (int j = 0; j < c; j++) dm[j] = de[s][j] / 1e-12;
            }
            if (pooling == Pooling.CLS) {
                for (int j = 0; j < c; j++) dh[start * c + j] = (float) dm[j];
            } else {
                for (int i = 0; i < len; i++) {
                    for (int j = 0; j < c; j++) dh[(start + i) * c + j] = (float) (dm[j] / len);
                }
            }
        }
    }
}
