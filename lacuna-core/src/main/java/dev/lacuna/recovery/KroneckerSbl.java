// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/**
 * Kronecker-structured SBL (He and Joseph 2023, "Bayesian Algorithms for Kronecker-structured Sparse Vector
 * Recovery", 2023): A = A1 [m1, n1] ⊗ A2 [m2, n2], x [n1 n2] with γ = g1 [n1] ⊗ g2 [n2]
 * (x index j1·n2 + j2). The E-step is SBL's; the M-step minimises
 * Q(g1, g2) = Σ D[j1, j2] / (g1[j1] g2[j2]) + n2 Σ log g1 + n1 Σ log g2, D = μ² + diag Σ_x reshaped [n1, n2],
 * either by {@link Update#ALTERNATING} (one exact pass for g1 then for g2: g1[j1] = mean_j2 D[j1, j2] / g2[j2],
 * and symmetrically; each pass lowers Q, so the SBL cost cannot rise) or by {@link Update#SVD} (γ ← the best
 * rank-one approximation of D, the unstructured EM update, by power iteration; an approximation with no
 * descent guarantee). The dictionary is formed densely here, so run times do not show the structured
 * E-step's savings.
 */
public final class KroneckerSbl {
    private KroneckerSbl() {}

    /** How the M-step fits the two factors. */
    public enum Update { ALTERNATING, SVD }

    /** y [m1 m2]; returns μ [n1 n2], γ = g1 ⊗ g2 and the cost trace. */
    public static SblResult solve(Dictionary a1, Dictionary a2, double[] y, double noiseVariance, Update update, int maxIter, double tol) {
        Dictionary a = Dictionary.kronecker(a1, a2);
        a.checkSignal(y);
        Sbl.checkNoise(noiseVariance);
        if (maxIter < 1) throw new LacunaException("maxIter must be >= 1, got " + maxIter);
        int n1 = a1.cols(), n2 = a2.cols();
        double[] g1 = new double[n1], g2 = new double[n2];
        java.util.Arrays.fill(g1, 1);
        java.util.Arrays.fill(g2, 1);
        double[] gamma = kron(g1, g2);
        double[] costs = new double[maxIter + 1];
        SblPosterior p = SblPosterior.of(a, y, gamma, noiseVariance);
        costs[0] = p.cost();
        int it = 0;
        while (it < maxIter) {
            double[] d = new double[n1 * n2]; // [n1, n2]
            for (int j = 0; j < d.length; j++) d[j] = p.mean()[j] * p.mean()[j] + p.covarianceDiagonal()[j];
            if (update == Update.ALTERNATING) {
                alternate(d, g1, g2);
            } else {
                rankOne(d, n1, n2, g1, g2);
            }
            gamma = kron(g1, g2);
            p = SblPosterior.of(a, y, gamma, noiseVariance);
            costs[++it] = p.cost();
            if (Math.abs(costs[it - 1] - costs[it]) <= tol * Math.abs(costs[it])) break;
        }
        return new SblResult(p.mean(), gamma, java.util.Arrays.copyOf(costs, it + 1));
    }

    /** γ [n1 n2] = g1 ⊗ g2. */
    static double[] kron(double[] g1, double[] g2) {
        double[] g = new double[g1.length * g2.length];
        for (int i = 0; i < g1.length; i++) for (int j = 0; j < g2.length; j++) g[i * g2.length + j] = g1[i] * g2[j];
        return g;
    }

    /** One exact minimisation of Q over g1 with g2 fixed, then over g2 with g1 fixed; a zero factor stays zero. */
    private static void alternate(double[] d, double[] g1, double[] g2) {
        int n1 = g1.length, n2 = g2.length;
        for (int i = 0; i < n1; i++) {
            if (g1[i] == 0) continue;
            double s = 0;
            for (int j = 0; j < n2; j++) if (g2[j] > 0) s += d[i * n2 + j] / g2[j];
            g1[i] = s / n2;
        }
        for (int j = 0; j < n2; j++) {
            if (g2[j] == 0) continue;
            double s = 0;
            for (int i = 0; i < n1; i++) if (g1[i] > 0) s += d[i * n2 + j] / g1[i];
            g2[j] = s / n1;
        }
    }

    /** D [n1, n2] ≈ σ u v^T by power iteration (D >= 0, so u, v >= 0 by Perron-Frobenius); g1 = sqrt(σ) u, g2 = sqrt(σ) v. */
    private static void rankOne(double[] d, int n1, int n2, double[] g1, double[] g2) {
        double[] v = new double[n2];
        java.util.Arrays.fill(v, 1 / Math.sqrt(n2));
        double[] u = new double[n1];
        double sigma = 0;
        for (int it = 0; it < 200; it++) {
            for (int i = 0; i < n1; i++) {
                double s = 0;
                for (int j = 0; j < n2; j++) s += d[i * n2 + j] * v[j];
                u[i] = s;
            }
            double nu = Math.sqrt(Vectors.dot(u, u));
            if (nu == 0) break;
            for (int i = 0; i < n1; i++) u[i] /= nu;
            double[] nv = new double[n2];
            for (int i = 0; i < n1; i++) for (int j = 0; j < n2; j++) nv[j] += d[i * n2 + j] * u[i];
            double s = Math.sqrt(Vectors.dot(nv, nv));
            if (s == 0) break;
            for (int j = 0; j < n2; j++) nv[j] /= s;
            boolean done = Math.abs(s - sigma) <= 1e-12 * s;
            sigma = s;
            v = nv;
            if (done) break;
        }
        double r = Math.sqrt(sigma);
        for (int i = 0; i < n1; i++) g1[i] = r * Math.abs(u[i]);
        for (int j = 0; j < n2; j++) g2[j] = r * Math.abs(v[j]);
    }
}
