// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.lacuna.train.GradientCheck.checkAll;
import static dev.lacuna.train.GradientCheck.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Both losses against a double-precision reference, the gradients against central differences in double. */
class EmbeddingLossTest {
    private static final int B = 5, C = 11;

    /** [B][C] from a flat [B·C]. */
    private static float[][] rows(float[] flat) {
        float[][] r = new float[B][C];
        for (int i = 0; i < B; i++) System.arraycopy(flat, i * C, r[i], 0, C);
        return r;
    }

    private static float[] flat(float[][] r) {
        float[] f = new float[B * C];
        for (int i = 0; i < B; i++) System.arraycopy(r[i], 0, f, i * C, C);
        return f;
    }

    /** Each row scaled to unit L2 norm, as the pooled embeddings are in use. */
    private static float[] unitRows(float[] a) {
        float[] u = a.clone();
        for (int i = 0; i < B; i++) {
            double ss = 0;
            for (int j = 0; j < C; j++) ss += (double) u[i * C + j] * u[i * C + j];
            for (int j = 0; j < C; j++) u[i * C + j] = (float) (u[i * C + j] / Math.sqrt(ss));
        }
        return u;
    }

    // reference: Σ (s − t)² / (B·C), in double
    private static double mseRef(double[] s, float[] t) {
        double sum = 0;
        for (int k = 0; k < B * C; k++) sum += (s[k] - t[k]) * (s[k] - t[k]);
        return sum / (B * C);
    }

    // reference: mean over rows of 1 − s·t / (‖s‖‖t‖), in double
    private static double cosineRef(double[] s, float[] t) {
        double sum = 0;
        for (int i = 0; i < B; i++) {
            double dot = 0, ss = 0, tt = 0;
            for (int j = 0; j < C; j++) {
                dot += s[i * C + j] * t[i * C + j];
                ss += s[i * C + j] * s[i * C + j];
                tt += (double) t[i * C + j] * t[i * C + j];
            }
            sum += 1 - dot / Math.sqrt(ss * tt);
        }
        return sum / B;
    }

    /** ds with a non-zero start, to check it is added to; returns ds minus that start. */
    private static float[] addedGradient(float[] start, float[][] ds) {
        float[] g = flat(ds);
        for (int k = 0; k < g.length; k++) g[k] -= start[k];
        return g;
    }

    @Test
    void mseMatchesTheReferenceAndFiniteDifferences() {
        Random rnd = new Random(1);
        for (boolean unit : new boolean[] {false, true}) {
            float[] s = randn(rnd, B * C, 1), t = randn(rnd, B * C, 1);
            if (unit) {
                s = unitRows(s);
                t = unitRows(t);
            }
            float[] start = randn(rnd, B * C, 0.1);
            float[][] ds = rows(start);
            double loss = EmbeddingLoss.mse(rows(s), rows(t), ds);
            double[] sd = GradientCheck.toDouble(s);
            float[] tt = t;
            assertEquals(mseRef(sd, t), loss, 1e-12 * Math.max(1, loss));
            checkAll("mse ds" + (unit ? " (unit rows)" : ""), sd, addedGradient(start, ds), () -> mseRef(sd, tt));
        }
    }

    @Test
    void mseOfIdenticalEmbeddingsIsZeroWithZeroGradient() {
        Random rnd = new Random(2);
        float[] s = randn(rnd, B * C, 1);
        float[][] ds = new float[B][C];
        assertEquals(0.0, EmbeddingLoss.mse(rows(s), rows(s), ds));
        for (float[] row : ds) for (float x : row) assertEquals(0f, x);
    }

    /** General s (not unit norm): the gradient as written is the exact gradient of 1 − cos. */
    @Test
    void cosineMatchesTheReferenceAndFiniteDifferences() {
        Random rnd = new Random(3);
        for (boolean unit : new boolean[] {false, true}) {
            float[] s = randn(rnd, B * C, unit ? 1 : 2.5), t = randn(rnd, B * C, 0.7);
            if (unit) s = unitRows(s);
            float[] start = randn(rnd, B * C, 0.1);
            float[][] ds = rows(start);
            double loss = EmbeddingLoss.cosine(rows(s), rows(t), ds);
            double[] sd = GradientCheck.toDouble(s);
            float[] tt = t;
            assertEquals(cosineRef(sd, t), loss, 1e-12);
            checkAll("cosine ds" + (unit ? " (unit rows)" : ""), sd, addedGradient(start, ds), () -> cosineRef(sd, tt));
        }
    }

    @Test
    void cosineIsZeroForParallelAndTwoForOpposite() {
        Random rnd = new Random(4);
        float[] t = randn(rnd, B * C, 1);
        float[] s = t.clone(), neg = t.clone();
        for (int k = 0; k < s.length; k++) {
            s[k] *= 3;
            neg[k] = -neg[k];
        }
        assertEquals(0.0, EmbeddingLoss.cosine(rows(s), rows(t), new float[B][C]), 1e-7);
        assertEquals(2.0, EmbeddingLoss.cosine(rows(neg), rows(t), new float[B][C]), 1e-7);
    }
}
