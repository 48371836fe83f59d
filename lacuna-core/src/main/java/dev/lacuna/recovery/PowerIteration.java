// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import java.util.SplittableRandom;

/** The largest eigenvalue of A^T A (||A||_2², the Lipschitz constant of ∇½||y − Ax||²) by power iteration. */
public final class PowerIteration {
    private PowerIteration() {}

    /** Seeded start vector; stops when the estimate changes by less than 1e-10 relative, or after 500 steps. */
    public static double lipschitz(Dictionary a, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[a.cols()]; // [n]
        for (int j = 0; j < v.length; j++) v[j] = rng.nextDouble() - 0.5;
        double lambda = 0;
        for (int it = 0; it < 500; it++) {
            double norm = Math.sqrt(Vectors.dot(v, v));
            if (norm == 0) return 0;
            for (int j = 0; j < v.length; j++) v[j] /= norm;
            double[] w = a.transposeTimes(a.times(v));
            double next = Vectors.dot(v, w);
            v = w;
            if (Math.abs(next - lambda) <= 1e-10 * next) return next * (1 + 1e-9);
            lambda = next;
        }
        return lambda * (1 + 1e-6);
    }
}
