// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

/**
 * Distillation losses on pooled, L2-normalised embeddings, each with its gradient on the student's
 * embeddings (the normalisation's own backward is {@link PoolingOp#backward}).
 * Shapes: B sequences, C hidden; {@code s} the student's [B][C], {@code t} the teacher's [B][C].
 * Sums run in double in a fixed order.
 */
public final class EmbeddingLoss {
    private EmbeddingLoss() {}

    /**
     * L = Σ (s − t)² / (B·C), sentence-transformers' MSELoss distillation; ds += 2(s − t)/(B·C).
     *
     * @param ds [B][C] added to
     */
    public static double mse(float[][] s, float[][] t, float[][] ds) {
        int b = s.length, c = s[0].length;
        double n = (double) b * c, sum = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < c; j++) {
                double d = (double) s[i][j] - t[i][j];
                sum += d * d;
                ds[i][j] += (float) (2 * d / n);
            }
        }
        return sum / n;
    }

    /**
     * L = mean over sequences of 1 − cos(s, t); with s of unit norm, ds += −t/(‖t‖·B) (the part along s
     * is removed by the normalisation's backward).
     *
     * @param ds [B][C] added to
     */
    public static double cosine(float[][] s, float[][] t, float[][] ds) {
        int b = s.length, c = s[0].length;
        double sum = 0;
        for (int i = 0; i < b; i++) {
            double dot = 0, ss = 0, tt = 0;
            for (int j = 0; j < c; j++) {
                dot += (double) s[i][j] * t[i][j];
                ss += (double) s[i][j] * s[i][j];
                tt += (double) t[i][j] * t[i][j];
            }
            double ns = Math.max(Math.sqrt(ss), 1e-12), nt = Math.max(Math.sqrt(tt), 1e-12);
            sum += 1 - dot / (ns * nt);
            for (int j = 0; j < c; j++) {
                // ∂(−cos)/∂s_j = −t_j/(‖s‖‖t‖) + cos·s_j/‖s‖²
                ds[i][j] += (float) ((-t[i][j] / (ns * nt) + dot / (ns * nt) * s[i][j] / (ns * ns)) / b);
            }
        }
        return sum / b;
    }
}
