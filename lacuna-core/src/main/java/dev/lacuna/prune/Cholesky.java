// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;

/**
 * Dense symmetric positive-definite algebra in double for SparseGPT: Cholesky factors and the upper
 * Cholesky factor of an inverse. Matrices are n x n, row-major.
 */
final class Cholesky {
    private Cholesky() {}

    /**
     * In place: {@code a} (symmetric positive definite; only its lower triangle is read) becomes L with
     * a = L Lᵀ, lower triangular, zeros above the diagonal.
     *
     * @throws LacunaException when a is not positive definite
     */
    static void factorLower(Parallel par, double[] a, int n) {
        for (int j = 0; j < n; j++) {
            int oj = j * n;
            double d = a[oj + j] - dot(a, oj, a, oj, j);
            if (!(d > 0)) throw new LacunaException("matrix is not positive definite (pivot " + j + " is " + d + "); increase dampening");
            double ljj = Math.sqrt(d);
            a[oj + j] = ljj;
            final int jj = j;
            int rest = n - j - 1;
            par.forRange(rest, rest < 256 ? rest : 32, (s, e) -> {
                for (int i = jj + 1 + s; i < jj + 1 + e; i++) {
                    int oi = i * n;
                    a[oi + jj] = (a[oi + jj] - dot(a, oi, a, jj * n, jj)) / ljj;
                }
            });
        }
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) a[i * n + j] = 0;
    }

    /**
     * X = L⁻¹ (lower triangular) by rows: X[i] = (e_i - Σ_{p<i} L[i, p] X[p]) / L[i, i], an axpy over
     * rows of X that are already known.
     */
    static double[] invertLower(double[] l, int n) {
        double[] x = new double[n * n];
        for (int i = 0; i < n; i++) {
            int oi = i * n;
            for (int p = 0; p < i; p++) {
                double c = l[oi + p];
                if (c == 0) continue;
                int op = p * n;
                for (int q = 0; q <= p; q++) x[oi + q] -= c * x[op + q];
            }
            x[oi + i] += 1;
            double inv = 1 / l[oi + i];
            for (int q = 0; q <= i; q++) x[oi + q] *= inv;
        }
        return x;
    }

    /**
     * U, upper triangular with positive diagonal, such that H⁻¹ = Uᵀ U: what SparseGPT computes as
     * {@code cholesky(cholesky_inverse(cholesky(H)), upper=True)}. With J the reversal permutation and
     * J H J = L̃ L̃ᵀ, H⁻¹ = (J L̃⁻ᵀ J)(J L̃⁻¹ J), so U = J L̃⁻¹ J by uniqueness of the factor: one
     * factorisation and one triangular inverse instead of two factorisations and an inverse.
     *
     * @param h H [n, n], not modified
     */
    static double[] upperFactorOfInverse(Parallel par, double[] h, int n) {
        double[] r = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) r[i * n + j] = h[(n - 1 - i) * n + (n - 1 - j)];
        }
        factorLower(par, r, n);
        double[] x = invertLower(r, n);
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) u[i * n + j] = x[(n - 1 - i) * n + (n - 1 - j)];
        }
        return u;
    }

    /** Σ_{p<len} a[ao + p] b[bo + p], four accumulators (the JIT does not vectorise a strict-order sum). */
    static double dot(double[] a, int ao, double[] b, int bo, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int p = 0;
        for (; p + 3 < len; p += 4) {
            s0 += a[ao + p] * b[bo + p];
            s1 += a[ao + p + 1] * b[bo + p + 1];
            s2 += a[ao + p + 2] * b[bo + p + 2];
            s3 += a[ao + p + 3] * b[bo + p + 3];
        }
        for (; p < len; p++) s0 += a[ao + p] * b[bo + p];
        return (s0 + s1) + (s2 + s3);
    }
}
