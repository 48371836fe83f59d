// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.lacuna.train.GradientCheck.checkAll;
import static dev.lacuna.train.GradientCheck.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CoSENT against a plain double-precision reference (no log-sum-exp), its gradient against central differences. */
class CosentLossTest {
    private static final int P = 5, C = 7, R = 2 * P;
    // pairs in shuffled rows, one tie (pairs 1 and 3) that must add nothing
    private static final int[] A = {3, 0, 8, 5, 1}, BR = {6, 9, 2, 4, 7};
    private static final double[] Y = {4.2, 1.0, 0.4, 1.0, 3.3};

    private static float[][] rows(float[] flat) {
        float[][] r = new float[R][C];
        for (int i = 0; i < R; i++) System.arraycopy(flat, i * C, r[i], 0, C);
        return r;
    }

    private static double cos(double[] e, int a, int b) {
        double dot = 0, aa = 0, bb = 0;
        for (int j = 0; j < C; j++) {
            dot += e[a * C + j] * e[b * C + j];
            aa += e[a * C + j] * e[a * C + j];
            bb += e[b * C + j] * e[b * C + j];
        }
        return dot / Math.sqrt(aa * bb);
    }

    // reference: log(1 + Σ_{p,q: y_p > y_q} exp(λ(c_q − c_p))), summed plainly
    private static double ref(double[] e, double scale) {
        double sum = 1;
        for (int p = 0; p < P; p++) {
            for (int q = 0; q < P; q++) {
                if (Y[p] > Y[q]) sum += Math.exp(scale * (cos(e, A[q], BR[q]) - cos(e, A[p], BR[p])));
            }
        }
        return Math.log(sum);
    }

    @Test
    void matchesTheReferenceAndFiniteDifferences() {
        Random rnd = new Random(7);
        for (double scale : new double[] {1, EmbeddingLoss.COSENT_SCALE}) {
            float[] e = randn(rnd, R * C, 1);
            float[] start = randn(rnd, R * C, 0.1);
            float[][] de = rows(start);
            double loss = EmbeddingLoss.cosent(rows(e), A, BR, Y, scale, 1.0, de);
            double[] ed = GradientCheck.toDouble(e);
            assertEquals(ref(ed, scale), loss, 1e-9 * Math.max(1, loss));
            float[] g = new float[R * C];
            for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) g[i * C + j] = de[i][j] - start[i * C + j];
            checkAll("cosent de (scale " + scale + ")", ed, g, () -> ref(ed, scale));
        }
    }

    /** The weight scales the gradient only; the returned loss is CoSENT's own. */
    @Test
    void weightScalesTheGradient() {
        Random rnd = new Random(8);
        float[] e = randn(rnd, R * C, 1);
        float[][] d1 = new float[R][C], d5 = new float[R][C];
        double l1 = EmbeddingLoss.cosent(rows(e), A, BR, Y, 20, 1.0, d1);
        double l5 = EmbeddingLoss.cosent(rows(e), A, BR, Y, 20, 0.05, d5);
        assertEquals(l1, l5);
        for (int i = 0; i < R; i++) for (int j = 0; j < C; j++) assertEquals(0.05 * d1[i][j], d5[i][j], 1e-6 * Math.abs(d1[i][j]) + 1e-9);
    }

    /** Cosines in the order of the scores, well apart, cost almost nothing; the reverse order costs λ × the gaps. */
    @Test
    void rewardsTheScoresOrder() {
        // pair p gets cosine cs[p] by construction: a = e1, b = cs·e1 + sqrt(1 − cs²)·e2
        double[] cs = {0.9, 0.2, -0.4, 0.2, 0.6};   // same order as Y, tie included
        float[][] e = new float[R][C];
        for (int p = 0; p < P; p++) {
            e[A[p]][0] = 1;
            e[BR[p]][0] = (float) cs[p];
            e[BR[p]][1] = (float) Math.sqrt(1 - cs[p] * cs[p]);
        }
        double good = EmbeddingLoss.cosent(e, A, BR, Y, 20, 1, new float[R][C]);
        assertTrue(good < 0.02, "ordered: " + good);
        double[] neg = new double[P];
        for (int p = 0; p < P; p++) neg[p] = -Y[p];
        double bad = EmbeddingLoss.cosent(e, A, BR, neg, 20, 1, new float[R][C]);
        assertTrue(bad > 20 * 0.3, "reversed: " + bad);   // at least λ × the largest gap (1.3) less log terms
    }
}
