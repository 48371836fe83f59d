// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

/**
 * The E-step of sparse Bayesian learning: with prior x ~ N(0, Γ = diag γ) and noise N(0, σ² I),
 * Σ_y [m, m] = σ² I + A Γ A^T, posterior mean μ = Γ A^T Σ_y^{-1} y [n], the diagonal of the posterior
 * covariance Σ_x = Γ − Γ A^T Σ_y^{-1} A Γ [n], and the cost log|Σ_y| + y^T Σ_y^{-1} y that EM decreases.
 */
record SblPosterior(double[] mean, double[] covarianceDiagonal, double cost) {
    static SblPosterior of(Dictionary a, double[] y, double[] gamma, double noiseVariance) {
        int m = a.rows(), n = a.cols();
        double[] d = a.data();
        double[] sy = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k <= i; k++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += d[i * n + j] * gamma[j] * d[k * n + j];
                sy[i * m + k] = s;
                sy[k * m + i] = s;
            }
            sy[i * m + i] += noiseVariance;
        }
        Cholesky c = Cholesky.of(sy, m);
        double[] u = c.solve(y); // Σ_y^{-1} y
        double cost = c.logDet() + Vectors.dot(y, u);
        double[] atu = a.transposeTimes(u);
        double[] mean = new double[n], cov = new double[n];
        for (int j = 0; j < n; j++) {
            mean[j] = gamma[j] * atu[j];
            if (gamma[j] == 0) continue;
            double[] w = c.forward(a.column(j)); // a_j^T Σ_y^{-1} a_j = ||L^{-1} a_j||²
            cov[j] = gamma[j] - gamma[j] * gamma[j] * Vectors.dot(w, w);
        }
        return new SblPosterior(mean, cov, cost);
    }
}
