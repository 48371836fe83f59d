// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadSensitivityTest {
    /** LayerNorm of one row in double, the model's definition: γ (u - μ) / sqrt(var + eps) + β. */
    private static double[] layerNorm(double[] u, float[] gamma, float[] beta, double eps) {
        int c = u.length;
        double mu = 0, var = 0;
        for (double x : u) mu += x / c;
        for (double x : u) var += (x - mu) * (x - mu) / c;
        double[] y = new double[c];
        for (int o = 0; o < c; o++) y[o] = gamma[o] * (u[o] - mu) / Math.sqrt(var + eps) + beta[o];
        return y;
    }

    /**
     * The two error terms written out plainly, E_out(α) = Σ_t ||α W_o,h δ_t||² and
     * E_ln(α) = Σ_t ||LN(u_t + α W_o,h δ_t) - LN(u_t)||², and their second derivative at 0 by central
     * differences: what {@link HeadSensitivity#hessians} must equal.
     */
    private static double[] bruteForce(float[] wo, float[] gamma, float[] beta, double eps, float[] u, float[] delta, int tokens, int c,
                                       int col, int d) {
        double h = 1e-3;
        double[] e = new double[4]; // E_out(+h), E_out(-h), E_ln(+h), E_ln(-h)
        for (int s = 0; s < 2; s++) {
            double a = s == 0 ? h : -h;
            for (int t = 0; t < tokens; t++) {
                double[] base = new double[c], moved = new double[c];
                for (int o = 0; o < c; o++) {
                    double g = 0;
                    for (int x = 0; x < d; x++) g += (double) wo[o * c + col + x] * delta[t * c + col + x];
                    base[o] = u[t * c + o];
                    moved[o] = base[o] + a * g;
                    e[s] += (a * g) * (a * g);
                }
                double[] y0 = layerNorm(base, gamma, beta, eps), y1 = layerNorm(moved, gamma, beta, eps);
                for (int o = 0; o < c; o++) e[2 + s] += (y1[o] - y0[o]) * (y1[o] - y0[o]);
            }
        }
        return new double[] {(e[0] + e[1]) / (h * h), (e[2] + e[3]) / (h * h)}; // E(0) = 0
    }

    @Test
    void hessiansEqualFiniteDifferencesOfTheTwoErrorTerms() {
        Random r = new Random(7);
        int c = 12, d = 4, tokens = 5;
        float[] wo = new float[c * c], gamma = new float[c], beta = new float[c], u = new float[tokens * c], delta = new float[tokens * c];
        for (int i = 0; i < wo.length; i++) wo[i] = (float) r.nextGaussian();
        for (int i = 0; i < c; i++) {
            gamma[i] = (float) (0.5 + r.nextDouble());
            beta[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) (3 * r.nextGaussian() + 1);
            delta[i] = (float) (0.1 * r.nextGaussian());
        }
        for (int head = 0; head < c / d; head++) {
            double[] got = HeadSensitivity.hessians(wo, gamma, 1e-12, u, delta, tokens, c, head * d, d);
            double[] want = bruteForce(wo, gamma, beta, 1e-12, u, delta, tokens, c, head * d, d);
            assertEquals(want[0], got[0], 1e-6 * want[0], "H_out of head " + head);
            assertEquals(want[1], got[1], 1e-4 * want[1], "H_ln of head " + head);
            double d2 = 0;
            for (int t = 0; t < tokens; t++) for (int x = 0; x < d; x++) d2 += (double) delta[t * c + head * d + x] * delta[t * c + head * d + x];
            assertEquals(d2, got[2], 1e-9 * d2);
            // the LayerNorm divides by the row's spread: the post-LN term is not a multiple of the first
            assertTrue(Math.abs(got[1] / got[0] - 1) > 1e-3, "H_ln " + got[1] + " vs H_out " + got[0]);
        }
    }

    @Test
    void scoresAverageTheTwoNormalisedCurvatures() {
        double[][] h = {{2, 8, 1}, {6, 8, 2}, {1, 2, 1}};
        // curvatures: out {2, 3, 1} (mean 2), ln {8, 4, 2} (mean 14/3)
        double[] s = HeadSensitivity.scores(h);
        assertEquals(0.5 * (1 + 8 / (14 / 3.0)), s[0], 1e-12);
        assertEquals(0.5 * (1.5 + 4 / (14 / 3.0)), s[1], 1e-12);
        assertEquals(0.5 * (0.5 + 2 / (14 / 3.0)), s[2], 1e-12);
        assertEquals(3, s[0] + s[1] + s[2], 1e-12); // mean 1
    }
}
