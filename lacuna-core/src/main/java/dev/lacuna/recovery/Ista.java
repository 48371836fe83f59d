// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/**
 * ISTA: x ← prox_{t·λφ}(x + t·A^T(y − A x)) with step t = 0.99 / L, L = ||A||_2² by power iteration
 * (Daubechies, Defrise, De Mol 2004). The 0.99 keeps CEL0's t·||a_j||² < 1. Stops when no coordinate moves by
 * more than {@code tol}·max(1, ||x||_∞) or after {@code maxIter} steps.
 */
public final class Ista {
    private Ista() {}

    /** A [m, n], y [m]; returns x [n]. */
    public static double[] solve(Dictionary a, double[] y, Prox prox, int maxIter, double tol) {
        a.checkSignal(y);
        if (maxIter < 1) throw new LacunaException("maxIter must be >= 1, got " + maxIter);
        double t = 0.99 / PowerIteration.lipschitz(a, 1);
        double[] norms = a.columnNorms();
        double[] x = new double[a.cols()];
        for (int it = 0; it < maxIter; it++) {
            double[] g = a.transposeTimes(Vectors.residual(a, y, x));
            double move = 0, big = 1;
            for (int j = 0; j < x.length; j++) {
                double nx = prox.apply(x[j] + t * g[j], t, norms[j]);
                move = Math.max(move, Math.abs(nx - x[j]));
                big = Math.max(big, Math.abs(nx));
                x[j] = nx;
            }
            if (move <= tol * big) break;
        }
        return x;
    }
}
