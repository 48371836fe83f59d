// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ISTA, FISTA and coordinate descent reach the same Lasso minimiser; CD's answer satisfies the KKT conditions. */
class ProximalGradientTest {
    private final Dictionary a = Problems.gaussian(30, 60, 11);
    private final double[] x0 = Problems.planted(60, Problems.randomSupport(60, 5, 12), 13);
    private final double[] y = Problems.measure(a, x0, 30, 14).y();
    private final double lambda = 0.05;

    @Test
    void coordinateDescentSatisfiesKkt() {
        double[] x = LassoCd.solve(a, y, lambda, 10_000, 1e-13);
        double[] c = a.transposeTimes(Vectors.residual(a, y, x));
        for (int j = 0; j < x.length; j++) {
            if (x[j] != 0) assertEquals(Math.signum(x[j]) * lambda, c[j], 1e-8, "active " + j);
            else assertTrue(Math.abs(c[j]) <= lambda + 1e-8, "inactive " + j + ": " + c[j]);
        }
        assertTrue(Vectors.nonzeros(x) > 0);
    }

    @Test
    void istaAndFistaReachTheCoordinateDescentMinimiser() {
        double[] cd = LassoCd.solve(a, y, lambda, 10_000, 1e-13);
        double[] fista = Fista.solve(a, y, new SoftThreshold(lambda), 20_000, 1e-13);
        double[] ista = Ista.solve(a, y, new SoftThreshold(lambda), 200_000, 1e-13);
        assertArrayEquals(cd, fista, 1e-6);
        assertArrayEquals(cd, ista, 1e-6);
    }

    @Test
    void orthogonalDesignGivesSoftThresholdOfTheCorrelations() {
        Dictionary q = Problems.conditioned(12, 12, 1, 3).dictionary();
        double[] yy = Problems.measure(q, Problems.planted(12, new int[] {2, 7}, 4), 10, 5).y();
        double[] c = q.transposeTimes(yy);
        double[] expect = new double[12];
        for (int j = 0; j < 12; j++) expect[j] = new SoftThreshold(0.3).apply(c[j], 1, 1);
        assertArrayEquals(expect, LassoCd.solve(q, yy, 0.3, 1000, 1e-14), 1e-10);
        assertArrayEquals(expect, Fista.solve(q, yy, new SoftThreshold(0.3), 5000, 1e-14), 1e-8);
    }

    @Test
    void nonconvexProxesDescendFromZero() {
        for (Prox p : new Prox[] {new HardThreshold(0.02), new LqThreshold(0.05, 0.5), new Cel0Threshold(0.02)}) {
            double[] x = Fista.solve(a, y, p, 2000, 1e-10);
            double[] xi = Ista.solve(a, y, p, 2000, 1e-10);
            double f0 = Objective.value(a, y, new double[60], p);
            assertTrue(Objective.value(a, y, xi, p) < 0.2 * f0, p.name() + " ista " + Objective.value(a, y, xi, p) + " vs " + f0);
            assertTrue(Objective.value(a, y, x, p) < 0.2 * f0, p.name() + " fista " + Objective.value(a, y, x, p) + " vs " + f0);
        }
    }

    @Test
    void powerIterationFindsTheLargestEigenvalue() {
        Dictionary d = new Dictionary(2, 2, new double[] {3, 0, 0, 1}); // A^T A = diag(9, 1)
        assertEquals(9, PowerIteration.lipschitz(d, 7), 1e-6);
    }
}
