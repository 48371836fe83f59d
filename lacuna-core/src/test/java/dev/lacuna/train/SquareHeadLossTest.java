// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static dev.lacuna.train.GradientCheck.checkAll;
import static dev.lacuna.train.GradientCheck.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** L = mean over layers of Σ(s − t)² / Σ t², against a double reference and central differences. */
class SquareHeadLossTest {
    private static final int LAYERS = 3, T = 7, C = 6, TC = T * C;

    // reference in double; s is [layers·T·C] flat so one double[] holds every layer for the check
    private static double reference(double[] s, float[][] t) {
        double total = 0;
        for (int l = 0; l < LAYERS; l++) {
            double num = 0, den = 0;
            for (int i = 0; i < TC; i++) {
                double d = s[l * TC + i] - t[l][i];
                num += d * d;
                den += (double) t[l][i] * t[l][i];
            }
            total += num / den;
        }
        return total / LAYERS;
    }

    @Test
    void matchesTheReferenceAndFiniteDifferences() {
        Random rnd = new Random(11);
        float[][] s = new float[LAYERS][], t = new float[LAYERS][], g = new float[LAYERS][];
        double[] sd = new double[LAYERS * TC];
        for (int l = 0; l < LAYERS; l++) {
            // layers of different scales, as hidden states grow with depth
            t[l] = randn(rnd, TC, 0.5 + 2 * l);
            s[l] = t[l].clone();
            float[] noise = randn(rnd, TC, 0.3 * (1 + l));
            for (int i = 0; i < TC; i++) s[l][i] += noise[i];
            g[l] = new float[TC];
            Arrays.fill(g[l], 123f); // overwritten, not added to
            for (int i = 0; i < TC; i++) sd[l * TC + i] = s[l][i];
        }
        double loss = SquareHeadLoss.loss(s, t, TC, g);
        assertEquals(reference(sd, t), loss, 1e-12 * loss);
        float[] flat = new float[LAYERS * TC];
        for (int l = 0; l < LAYERS; l++) System.arraycopy(g[l], 0, flat, l * TC, TC);
        checkAll("squarehead grad", sd, flat, () -> reference(sd, t));
    }

    /** Only the first tc entries count: arrays may be longer (buffers sized for the longest batch). */
    @Test
    void readsAndWritesOnlyTheFirstTcEntries() {
        Random rnd = new Random(12);
        int extra = 5;
        float[][] s = new float[LAYERS][], t = new float[LAYERS][], g = new float[LAYERS][];
        float[][] s0 = new float[LAYERS][], t0 = new float[LAYERS][], g0 = new float[LAYERS][];
        for (int l = 0; l < LAYERS; l++) {
            s[l] = randn(rnd, TC + extra, 1);
            t[l] = randn(rnd, TC + extra, 1);
            g[l] = new float[TC + extra];
            Arrays.fill(g[l], TC, TC + extra, 7f);
            s0[l] = Arrays.copyOf(s[l], TC);
            t0[l] = Arrays.copyOf(t[l], TC);
            g0[l] = new float[TC];
        }
        double a = SquareHeadLoss.loss(s, t, TC, g), b = SquareHeadLoss.loss(s0, t0, TC, g0);
        assertEquals(b, a);
        for (int l = 0; l < LAYERS; l++) {
            assertEquals(Arrays.toString(g0[l]), Arrays.toString(Arrays.copyOf(g[l], TC)));
            for (int i = TC; i < TC + extra; i++) assertEquals(7f, g[l][i]);
        }
    }

    @Test
    void isScaleInvariant() {
        Random rnd = new Random(13);
        float[][] s = {randn(rnd, TC, 1)}, t = {randn(rnd, TC, 1)};
        float[][] s8 = {s[0].clone()}, t8 = {t[0].clone()};
        for (int i = 0; i < TC; i++) {
            s8[0][i] *= 8;
            t8[0][i] *= 8;
        }
        assertEquals(SquareHeadLoss.loss(s, t, TC, new float[1][TC]), SquareHeadLoss.loss(s8, t8, TC, new float[1][TC]), 1e-12);
    }
}
