// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;

/**
 * Orthogonal matching pursuit (Pati, Rezaiifar, Krishnaprasad 1993): k times, add the column most correlated
 * with the residual (|a_j^T r| / ||a_j||), then refit least squares on the support through a Cholesky factor
 * of A_S^T A_S grown by one row per step. {@link #solveBatch} is Batch-OMP (Rubinstein, Zibulevsky, Elad 2008):
 * many signals on one dictionary with G = A^T A computed once, so each step costs O(n·|S|) rather than O(m·n).
 * Stops early when the residual reaches zero or the next column is linearly dependent on the support.
 */
public final class Omp {
    private Omp() {}

    /** A [m, n], y [m], sparsity k; returns x [n] with at most k nonzeros. */
    public static double[] solve(Dictionary a, double[] y, int k) {
        a.checkSignal(y);
        a.checkSparsity(k);
        int n = a.cols();
        double[] norms = a.columnNorms();
        double[] aty = a.transposeTimes(y); // [n]
        int[] support = new int[k];
        double[][] cols = new double[k][];
        Cholesky chol = Cholesky.empty(k);
        boolean[] used = new boolean[n];
        double[] xs = new double[0];
        double[] r = y.clone();
        for (int s = 0; s < k; s++) {
            double[] c = a.transposeTimes(r);
            int best = argmaxNormalized(c, norms, used);
            if (best < 0) break;
            double[] col = a.column(best);
            double[] b = new double[s];
            for (int t = 0; t < s; t++) b[t] = Vectors.dot(cols[t], col);
            if (!chol.append(b, norms[best] * norms[best])) break;
            used[best] = true;
            support[s] = best;
            cols[s] = col;
            double[] rhs = new double[s + 1];
            for (int t = 0; t <= s; t++) rhs[t] = aty[support[t]];
            xs = chol.solve(rhs);
            r = y.clone();
            for (int t = 0; t <= s; t++) for (int i = 0; i < r.length; i++) r[i] -= cols[t][i] * xs[t];
            if (Vectors.dot(r, r) <= 1e-28 * Math.max(Vectors.dot(y, y), 1e-300)) break;
        }
        double[] x = new double[n];
        for (int t = 0; t < xs.length; t++) x[support[t]] = xs[t];
        return x;
    }

    /** Batch-OMP: ys [count][m] on A [m, n]; returns [count][n], each the same as {@link #solve} up to rounding. */
    public static double[][] solveBatch(Dictionary a, double[][] ys, int k) {
        try (Parallel serial = Parallel.serial()) {
            return solveBatch(serial, a, ys, k);
        }
    }

    /** Batch-OMP with the signals shared out over {@code par}'s team; the same values on any team. */
    public static double[][] solveBatch(Parallel par, Dictionary a, double[][] ys, int k) {
        return new Batch(a).solve(par, ys, k);
    }

    /** Batch-OMP's precomputation for one dictionary A [m, n]: G = A^T A [n, n] and the column norms [n], reused over calls. */
    public static final class Batch {
        private final Dictionary a;
        private final double[] gram, norms;

        public Batch(Dictionary a) {
            this.a = a;
            int n = a.cols();
            this.gram = a.gram(); // symmetric: row j is column j
            this.norms = new double[n];
            for (int j = 0; j < n; j++) norms[j] = Math.sqrt(gram[j * n + j]);
        }

        /** ys [count][m]; returns [count][n], signals shared out over the team (the same values on any team). */
        public double[][] solve(Parallel par, double[][] ys, int k) {
            a.checkSparsity(k);
            for (double[] y : ys) a.checkSignal(y);
            int n = a.cols();
            double[][] out = new double[ys.length][];
            par.forChunks(ys.length, 4, (from, to) -> {
                for (int q = from; q < to; q++) out[q] = solveOne(gram, norms, n, a.transposeTimes(ys[q]), Vectors.dot(ys[q], ys[q]), k);
            });
            return out;
        }
    }

    /** One Batch-OMP signal: alpha0 = A^T y [n], yy = ||y||². */
    private static double[] solveOne(double[] gram, double[] norms, int n, double[] alpha0, double yy, int k) {
        double[] alpha = alpha0.clone(); // A^T (y − A_S x_S), [n]
        int[] support = new int[k];
        boolean[] used = new boolean[n];
        Cholesky chol = Cholesky.empty(k);
        double[] xs = new double[0];
        for (int s = 0; s < k; s++) {
            int best = argmaxNormalized(alpha, norms, used);
            if (best < 0) break;
            double[] b = new double[s];
            for (int t = 0; t < s; t++) b[t] = gram[support[t] * n + best];
            if (!chol.append(b, gram[best * n + best])) break;
            used[best] = true;
            support[s] = best;
            double[] rhs = new double[s + 1];
            for (int t = 0; t <= s; t++) rhs[t] = alpha0[support[t]];
            xs = chol.solve(rhs);
            double fit = 0; // ||A_S x_S||² = x_S^T alpha0_S: the residual energy is yy − fit
            for (int t = 0; t <= s; t++) fit += xs[t] * alpha0[support[t]];
            System.arraycopy(alpha0, 0, alpha, 0, n); // alpha = alpha0 − Σ_t x_t G[support_t, :], rows contiguous
            for (int t = 0; t <= s; t++) {
                int o = support[t] * n;
                double c = xs[t];
                for (int j = 0; j < n; j++) alpha[j] -= gram[o + j] * c;
            }
            if (yy - fit <= 1e-14 * Math.max(yy, 1e-300)) break;
        }
        double[] x = new double[n];
        for (int t = 0; t < xs.length; t++) x[support[t]] = xs[t];
        return x;
    }

    private static int argmaxNormalized(double[] c, double[] norms, boolean[] used) {
        int best = -1;
        double bestV = 0;
        for (int j = 0; j < c.length; j++) {
            if (used[j] || norms[j] == 0) continue;
            double v = Math.abs(c[j]) / norms[j];
            if (v > bestV) { bestV = v; best = j; }
        }
        return best;
    }
}
