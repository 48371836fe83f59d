// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

/** Eigen-decomposition of small symmetric matrices by cyclic Jacobi rotations (Golub & Van Loan, 8.5). */
final class Eigen {
    private Eigen() {}

    /**
     * Decomposes the symmetric a [n, n] (row-major, destroyed) as V diag(w) Vᵀ.
     *
     * @param w [n] eigenvalues, descending
     * @param v [n, n] eigenvectors as columns, in the same order
     */
    static void symmetric(double[] a, int n, double[] w, double[] v) {
        java.util.Arrays.fill(v, 0, n * n, 0);
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        for (int sweep = 0; sweep < 60; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            if (off < 1e-22) break;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p * n + q];
                    if (Math.abs(apq) < 1e-300) continue;
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) { // columns p, q
                        double akp = a[k * n + p], akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // rows p, q
                        double apk = a[p * n + k], aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k * n + p], vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) w[i] = a[i * n + i];
        // sort descending (selection sort: n is the head dimension)
        for (int i = 0; i < n; i++) {
            int best = i;
            for (int j = i + 1; j < n; j++) if (w[j] > w[best]) best = j;
            if (best == i) continue;
            double t = w[i];
            w[i] = w[best];
            w[best] = t;
            for (int k = 0; k < n; k++) {
                double x = v[k * n + i];
                v[k * n + i] = v[k * n + best];
                v[k * n + best] = x;
            }
        }
    }

    /** c = a · b for [n, n] matrices. */
    static double[] mul(double[] a, double[] b, int n) {
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double x = a[i * n + k];
                if (x == 0) continue;
                for (int j = 0; j < n; j++) c[i * n + j] += x * b[k * n + j];
            }
        }
        return c;
    }

    /** V diag(f(w)) Vᵀ. */
    static double[] apply(double[] w, double[] v, int n, java.util.function.DoubleUnaryOperator f) {
        double[] c = new double[n * n];
        for (int k = 0; k < n; k++) {
            double fk = f.applyAsDouble(w[k]);
            for (int i = 0; i < n; i++) {
                double x = v[i * n + k] * fk;
                for (int j = 0; j < n; j++) c[i * n + j] += x * v[j * n + k];
            }
        }
        return c;
    }
}
