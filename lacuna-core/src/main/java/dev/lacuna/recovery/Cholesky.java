// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/**
 * Cholesky factor L [n, n] (lower, row-major) of a symmetric positive definite S = L L^T, with solves and
 * log-determinant; {@link #append} grows the factor by one row and column (OMP's rank-one update).
 */
final class Cholesky {
    private final double[] l; // [cap, cap], only the leading n x n used
    private final int cap;
    private int n;

    private Cholesky(int cap) {
        this.cap = Math.max(cap, 1);
        this.l = new double[this.cap * this.cap];
    }

    /** Factors S [n, n]; throws when S is not positive definite. */
    static Cholesky of(double[] s, int n) {
        Cholesky c = new Cholesky(n);
        double[] l = c.l;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = s[i * n + j];
                for (int k = 0; k < j; k++) v -= l[i * n + k] * l[j * n + k];
                if (i == j) {
                    if (!(v > 0)) throw new LacunaException("matrix is not positive definite (pivot " + i + " = " + v + ")");
                    l[i * n + i] = Math.sqrt(v);
                } else {
                    l[i * n + j] = v / l[j * n + j];
                }
            }
        }
        c.n = n;
        return c;
    }

    /** An empty factor that {@link #append} grows up to {@code cap}. */
    static Cholesky empty(int cap) {
        return new Cholesky(cap);
    }

    int size() {
        return n;
    }

    /**
     * Grows S by one row/column: b [n] the new off-diagonal entries, d the new diagonal. Returns false (and
     * leaves the factor unchanged) when the new column is numerically dependent on the old ones.
     */
    boolean append(double[] b, double d) {
        if (n == cap) throw new IllegalStateException("Cholesky capacity " + cap + " reached");
        double[] w = forward(b);
        double s = d;
        for (int k = 0; k < n; k++) s -= w[k] * w[k];
        if (!(s > 1e-12 * Math.max(d, 1e-300))) return false;
        for (int k = 0; k < n; k++) l[n * cap + k] = w[k];
        l[n * cap + n] = Math.sqrt(s);
        n++;
        return true;
    }

    private double at(int i, int j) {
        return l[i * cap + j];
    }

    /** Solves L w = b, b [n]. */
    double[] forward(double[] b) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double v = b[i];
            for (int k = 0; k < i; k++) v -= at(i, k) * w[k];
            w[i] = v / at(i, i);
        }
        return w;
    }

    /** Solves L^T x = w, w [n]. */
    double[] backward(double[] w) {
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double v = w[i];
            for (int k = i + 1; k < n; k++) v -= at(k, i) * x[k];
            x[i] = v / at(i, i);
        }
        return x;
    }

    /** Solves S x = b, b [n]. */
    double[] solve(double[] b) {
        return backward(forward(b));
    }

    /** log det S. */
    double logDet() {
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.log(at(i, i));
        return 2 * s;
    }
}
