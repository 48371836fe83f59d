// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/**
 * Normalized iterative hard thresholding (Blumensath and Davies 2010, IEEE J. Sel. Topics Signal Process.):
 * x ← H_k(x + μ·A^T(y − A x)), H_k keeping the k largest magnitudes, with the step μ = ||g_S||² / ||A_S g_S||²
 * on the current support S, halved while a support change would not decrease the residual enough
 * (μ <= 0.99·||x′ − x||² / ||A(x′ − x)||²).
 */
public final class Iht {
    private Iht() {}

    /** A [m, n], y [m], sparsity k; returns x [n] with at most k nonzeros. */
    public static double[] solve(Dictionary a, double[] y, int k, int maxIter, double tol) {
        a.checkSignal(y);
        a.checkSparsity(k);
        if (maxIter < 1) throw new LacunaException("maxIter must be >= 1, got " + maxIter);
        int n = a.cols();
        double[] x = new double[n];
        int[] support = Vectors.topK(a.transposeTimes(y), k);
        for (int it = 0; it < maxIter; it++) {
            double[] g = a.transposeTimes(Vectors.residual(a, y, x));
            double[] gs = new double[n];
            for (int j : support) gs[j] = g[j];
            double[] ags = a.times(gs);
            double den = Vectors.dot(ags, ags);
            if (den == 0) break;
            double mu = Vectors.dot(gs, gs) / den;
            double[] next;
            int[] nextSupport;
            while (true) {
                double[] v = new double[n];
                for (int j = 0; j < n; j++) v[j] = x[j] + mu * g[j];
                nextSupport = Vectors.topK(v, k);
                next = new double[n];
                for (int j : nextSupport) next[j] = v[j];
                if (java.util.Arrays.equals(nextSupport, support)) break;
                double[] d = new double[n];
                for (int j = 0; j < n; j++) d[j] = next[j] - x[j];
                double[] ad = a.times(d);
                double bound = 0.99 * Vectors.dot(d, d) / Math.max(Vectors.dot(ad, ad), 1e-300);
                if (mu <= bound) break;
                mu /= 2;
            }
            double move = 0, big = 1;
            for (int j = 0; j < n; j++) {
                move = Math.max(move, Math.abs(next[j] - x[j]));
                big = Math.max(big, Math.abs(next[j]));
            }
            x = next;
            support = nextSupport;
            if (move <= tol * big) break;
        }
        return x;
    }
}
