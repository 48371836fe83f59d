// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class CholeskyTest {
    /** A = B Bᵀ + n I for a random B [n, n]. */
    private static double[] spd(int n, long seed) {
        Random r = new Random(seed);
        double[] b = new double[n * n];
        for (int i = 0; i < b.length; i++) b[i] = r.nextGaussian();
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) s += b[i * n + p] * b[j * n + p];
                a[i * n + j] = s + (i == j ? n : 0);
            }
        }
        return a;
    }

    @Test
    void upperFactorOfInverseSatisfiesUtUHEqualsIdentity() {
        try (Parallel par = new Parallel(2)) {
            for (int n : new int[] {1, 2, 7, 64, 300}) {
                double[] h = spd(n, n);
                double[] u = Cholesky.upperFactorOfInverse(par, h, n);
                for (int i = 0; i < n; i++) {
                    assertTrue(u[i * n + i] > 0, "diagonal");
                    for (int j = 0; j < i; j++) assertEquals(0, u[i * n + j], "U must be upper triangular");
                }
                // (Uᵀ U) H = I
                double[] inv = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < n; p++) s += u[p * n + i] * u[p * n + j];
                        inv[i * n + j] = s;
                    }
                }
                double worst = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < n; p++) s += inv[i * n + p] * h[p * n + j];
                        worst = Math.max(worst, Math.abs(s - (i == j ? 1 : 0)));
                    }
                }
                assertTrue(worst < 1e-9 * n, "n = " + n + ": max |(UᵀU)H - I| = " + worst);
            }
        }
    }

    @Test
    void notPositiveDefiniteIsAnError() {
        double[] a = {1, 2, 2, 1};
        LacunaException e = assertThrows(LacunaException.class, () -> Cholesky.factorLower(Parallel.serial(), a, 2));
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
    }
}
