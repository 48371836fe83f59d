// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.concurrent.Parallel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Vector API products of {@link Dictionary} against their plain loops, on shapes with every kind of tail. */
class DictionaryTest {
    private static Dictionary random(int m, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] d = new double[m * n];
        for (int i = 0; i < d.length; i++) d[i] = rng.nextDouble() * 2 - 1;
        return new Dictionary(m, n, d);
    }

    private static double[] vector(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble() * 2 - 1;
        return v;
    }

    /** |a − b| <= 1e-12 · (1 + Σ|terms|) per entry: the orders of summation differ, nothing else may. */
    private static void close(double[] expected, double[] actual, double scale, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * (1 + scale), what + " entry " + i);
        }
    }

    @Test
    void productsMatchThePlainLoops() {
        int[][] shapes = {{1, 1}, {3, 5}, {4, 8}, {5, 33}, {7, 64}, {12, 127}, {33, 200}, {64, 129}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1];
            Dictionary a = random(m, n, 31L * m + n);
            double[] x = vector(n, m), r = vector(m, n);
            String what = m + " x " + n;
            close(a.timesReference(x), a.times(x), n, "A x " + what);
            close(a.transposeTimesReference(r), a.transposeTimes(r), m, "A^T r " + what);
            close(a.gramReference(), a.gram(), m, "A^T A " + what);
            double[] g = a.gram();
            for (int p = 0; p < n; p++) for (int q = 0; q < p; q++) assertEquals(g[q * n + p], g[p * n + q], 0.0, "symmetric " + what);
        }
    }

    @Test
    void dotMatchesThePlainSumAndTakesOffsets() {
        for (int n : new int[] {0, 1, 7, 8, 31, 32, 33, 100}) {
            double[] a = vector(n + 5, n), b = vector(n, n + 1);
            double plain = 0, abs = 0;
            for (int j = 0; j < n; j++) { plain += a[5 + j] * b[j]; abs += Math.abs(a[5 + j] * b[j]); }
            assertEquals(plain, Dictionary.dot(a, 5, b, n), 1e-13 * (1 + abs), "n = " + n);
        }
    }

    @Test
    void batchOmpGivesTheSameBitsOnAnyTeam() {
        Dictionary a = random(24, 90, 7);
        double[][] ys = new double[37][];
        for (int q = 0; q < ys.length; q++) ys[q] = vector(24, 100 + q);
        double[][] serial = Omp.solveBatch(a, ys, 6);
        try (Parallel team = new Parallel(2)) {
            double[][] two = Omp.solveBatch(team, a, ys, 6);
            for (int q = 0; q < ys.length; q++) assertArrayEquals(serial[q], two[q], 0.0, "signal " + q);
        }
    }
}
