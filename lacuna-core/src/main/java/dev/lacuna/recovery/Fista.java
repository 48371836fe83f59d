// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/**
 * FISTA (Beck and Teboulle 2009, SIAM J. Imaging Sci.): ISTA's step taken at the extrapolated point
 * z = x_k + ((t_{k−1} − 1)/t_k)(x_k − x_{k−1}), t_{k+1} = (1 + sqrt(1 + 4t_k²))/2; step 0.99 / L as {@link Ista}.
 */
public final class Fista {
    private Fista() {}

    /** A [m, n], y [m]; returns x [n]. */
    public static double[] solve(Dictionary a, double[] y, Prox prox, int maxIter, double tol) {
        a.checkSignal(y);
        if (maxIter < 1) throw new LacunaException("maxIter must be >= 1, got " + maxIter);
        return solve(a, y, prox, maxIter, tol, 0.99 / PowerIteration.lipschitz(a, 1), a.columnNorms());
    }

    /**
     * The same with the step (0.99 / L) and the column norms [n] given, for many signals on one dictionary:
     * the power iteration and the norms are computed once by the caller.
     */
    public static double[] solve(Dictionary a, double[] y, Prox prox, int maxIter, double tol, double step, double[] norms) {
        a.checkSignal(y);
        if (maxIter < 1) throw new LacunaException("maxIter must be >= 1, got " + maxIter);
        if (norms.length != a.cols()) throw new LacunaException("column norms have " + norms.length + " values, the dictionary has " + a.cols() + " columns");
        int n = a.cols();
        double[] x = new double[n], prev = new double[n], z = new double[n];
        double t = 1;
        for (int it = 0; it < maxIter; it++) {
            double[] g = a.transposeTimes(Vectors.residual(a, y, z));
            double move = 0, big = 1;
            for (int j = 0; j < n; j++) {
                prev[j] = x[j];
                x[j] = prox.apply(z[j] + step * g[j], step, norms[j]);
                move = Math.max(move, Math.abs(x[j] - prev[j]));
                big = Math.max(big, Math.abs(x[j]));
            }
            if (move <= tol * big) break;
            double tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            double beta = (t - 1) / tn;
            for (int j = 0; j < n; j++) z[j] = x[j] + beta * (x[j] - prev[j]);
            t = tn;
        }
        return x;
    }
}
