// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/**
 * The Lasso min ½||y − A x||² + λ||x||_1 by cyclic coordinate descent (Friedman, Hastie, Tibshirani 2010):
 * x_j ← S(a_j^T r + ||a_j||² x_j, λ) / ||a_j||², the residual r kept up to date. Stops when a sweep moves no
 * coordinate by more than {@code tol}·max(1, ||x||_∞).
 */
public final class LassoCd {
    private LassoCd() {}

    /** A [m, n], y [m]; returns x [n]. */
    public static double[] solve(Dictionary a, double[] y, double lambda, int maxSweeps, double tol) {
        a.checkSignal(y);
        if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new LacunaException("lambda must be finite and >= 0, got " + lambda);
        int m = a.rows(), n = a.cols();
        double[] x = new double[n];
        double[] r = y.clone(); // [m], y − A x
        double[] sq = a.columnNorms();
        for (int j = 0; j < n; j++) sq[j] *= sq[j];
        double[] d = a.data();
        for (int sweep = 0; sweep < maxSweeps; sweep++) {
            double move = 0, big = 1;
            for (int j = 0; j < n; j++) {
                if (sq[j] == 0) continue;
                double rho = 0;
                for (int i = 0; i < m; i++) rho += d[i * n + j] * r[i];
                rho += sq[j] * x[j];
                double nx = Math.abs(rho) > lambda ? Math.copySign(Math.abs(rho) - lambda, rho) / sq[j] : 0;
                double delta = nx - x[j];
                if (delta != 0) {
                    for (int i = 0; i < m; i++) r[i] -= d[i * n + j] * delta;
                    x[j] = nx;
                }
                move = Math.max(move, Math.abs(delta));
                big = Math.max(big, Math.abs(nx));
            }
            if (move <= tol * big) break;
        }
        return x;
    }
}
