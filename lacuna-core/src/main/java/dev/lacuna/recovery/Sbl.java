// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/**
 * Sparse Bayesian learning by EM (Tipping 2001; Wipf and Rao 2004, IEEE Trans. Signal Process.): the
 * E-step ({@link SblPosterior}) then γ_j ← μ_j² + Σ_x[j, j]. Each step cannot increase the cost
 * log|Σ_y| + y^T Σ_y^{-1} y. Starts from γ = 1; stops when the cost changes by less than
 * {@code tol}·|cost| or after {@code maxIter} steps. The noise variance σ² is given, not learned.
 */
public final class Sbl {
    private Sbl() {}

    /** A [m, n], y [m]; returns μ [n], γ [n] and the cost trace. */
    public static SblResult solve(Dictionary a, double[] y, double noiseVariance, int maxIter, double tol) {
        a.checkSignal(y);
        checkNoise(noiseVariance);
        if (maxIter < 1) throw new LacunaException("maxIter must be >= 1, got " + maxIter);
        double[] gamma = new double[a.cols()];
        java.util.Arrays.fill(gamma, 1);
        double[] costs = new double[maxIter + 1];
        SblPosterior p = SblPosterior.of(a, y, gamma, noiseVariance);
        int it = 0;
        costs[0] = p.cost();
        while (it < maxIter) {
            for (int j = 0; j < gamma.length; j++) gamma[j] = p.mean()[j] * p.mean()[j] + p.covarianceDiagonal()[j];
            p = SblPosterior.of(a, y, gamma, noiseVariance);
            costs[++it] = p.cost();
            if (Math.abs(costs[it - 1] - costs[it]) <= tol * Math.abs(costs[it])) break;
        }
        return new SblResult(p.mean(), gamma, java.util.Arrays.copyOf(costs, it + 1));
    }

    static void checkNoise(double noiseVariance) {
        if (!(noiseVariance > 0) || !Double.isFinite(noiseVariance)) throw new LacunaException("noise variance must be finite and > 0, got " + noiseVariance);
    }
}
