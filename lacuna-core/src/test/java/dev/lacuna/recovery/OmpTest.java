// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OMP against exhaustive best-subset where greedy is exact, on a planted support, and Batch-OMP against OMP. */
class OmpTest {
    /** The reference: the best least-squares fit over every support of size k (tiny n only). */
    static double[] bestSubset(Dictionary a, double[] y, int k) {
        int n = a.cols();
        double[] gram = a.gram(), aty = a.transposeTimes(y);
        double bestErr = Double.POSITIVE_INFINITY;
        double[] best = null;
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) != k) continue;
            int[] s = new int[k];
            for (int j = 0, t = 0; j < n; j++) if ((mask & (1 << j)) != 0) s[t++] = j;
            double[] g = new double[k * k], rhs = new double[k];
            for (int p = 0; p < k; p++) {
                rhs[p] = aty[s[p]];
                for (int q = 0; q < k; q++) g[p * k + q] = gram[s[p] * n + s[q]];
            }
            double[] xs;
            try {
                xs = Cholesky.of(g, k).solve(rhs);
            } catch (LacunaException singular) {
                continue;
            }
            double[] x = new double[n];
            for (int p = 0; p < k; p++) x[s[p]] = xs[p];
            double[] r = Vectors.residual(a, y, x);
            double err = Vectors.dot(r, r);
            if (err < bestErr) { bestErr = err; best = x; }
        }
        return best;
    }

    @Test
    void equalsBestSubsetOnAnOrthogonalDictionary() {
        for (long seed = 0; seed < 5; seed++) {
            Dictionary q = Problems.conditioned(10, 10, 1, seed).dictionary();
            double[] y = Problems.gaussianVector(10, seed + 100);
            for (int k = 1; k <= 4; k++) assertArrayEquals(bestSubset(q, y, k), Omp.solve(q, y, k), 1e-10, "seed " + seed + " k " + k);
        }
    }

    @Test
    void recoversAPlantedSupport() {
        Dictionary a = Problems.gaussian(40, 100, 21);
        int[] s = Problems.randomSupport(100, 5, 22);
        double[] x0 = Problems.planted(100, s, 23);
        double[] y = Problems.measure(a, x0, 40, 24).y();
        double[] x = Omp.solve(a, y, 5);
        assertArrayEquals(s, Vectors.topK(x, 5));
        assertTrue(Problems.nmse(x, x0) < 1e-3, "nmse " + Problems.nmse(x, x0));
        assertArrayEquals(bestSubset(Problems.gaussian(8, 12, 5), Problems.gaussian(8, 12, 5).times(x0Small()), 2),
                Omp.solve(Problems.gaussian(8, 12, 5), Problems.gaussian(8, 12, 5).times(x0Small()), 2), 1e-9);
    }

    private static double[] x0Small() {
        double[] x = new double[12];
        x[3] = 2;
        x[9] = -1.5;
        return x;
    }

    @Test
    void batchEqualsSingle() {
        Dictionary a = Problems.gaussian(24, 50, 31);
        double[][] ys = new double[6][];
        for (int i = 0; i < ys.length; i++) ys[i] = Problems.measure(a, Problems.planted(50, Problems.randomSupport(50, 4, i), i), 20, i).y();
        double[][] batch = Omp.solveBatch(a, ys, 6);
        for (int i = 0; i < ys.length; i++) assertArrayEquals(Omp.solve(a, ys[i], 6), batch[i], 1e-9, "signal " + i);
    }
}
