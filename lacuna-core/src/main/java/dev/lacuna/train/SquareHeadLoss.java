// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

/**
 * SquareHead (Kurtić et al. 2023, "Sparse Fine-tuning for Inference Acceleration of Large Language
 * Models"): per layer l, the mean squared error of the student's hidden states against the teacher's,
 * normalised by the teacher's mean square, L_l = Σ(f_s − f_t)² / Σ f_t², averaged over the layers.
 * Shapes: T packed tokens, C hidden; one [T, C] array per layer output.
 */
public final class SquareHeadLoss {
    private SquareHeadLoss() {}

    /**
     * @param student [layers] of [T, C], the student's layer outputs
     * @param teacher [layers] of [T, C], the teacher's, same tokens
     * @param grad    [layers] of [T, C], overwritten with ∂L/∂student
     * @return L
     */
    public static double loss(float[][] student, float[][] teacher, int tc, float[][] grad) {
        int layers = student.length;
        double total = 0;
        for (int l = 0; l < layers; l++) {
            float[] s = student[l], t = teacher[l], g = grad[l];
            double num = 0, den = 0;
            for (int i = 0; i < tc; i++) {
                double d = (double) s[i] - t[i];
                num += d * d;
                den += (double) t[i] * t[i];
            }
            den = Math.max(den, 1e-30);
            total += num / den;
            double k = 2 / (den * layers);
            for (int i = 0; i < tc; i++) g[i] = (float) (k * ((double) s[i] - t[i]));
        }
        return total / layers;
    }
}
