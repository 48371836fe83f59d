// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/**
 * A dense dictionary (design matrix) A [rows = m, cols = n], row-major, with the products every solver
 * uses. The constructor checks the shape and that every entry is finite; {@link #checkSignal} checks a y.
 */
public record Dictionary(int rows, int cols, double[] data) {
    public Dictionary {
        if (rows < 1 || cols < 1) throw new LacunaException("dictionary shape must be positive, got " + rows + " x " + cols);
        if (data.length != (long) rows * cols) {
            throw new LacunaException("dictionary data has " + data.length + " values, shape " + rows + " x " + cols + " needs " + (long) rows * cols);
        }
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) throw new LacunaException("dictionary entry (" + i / cols + ", " + i % cols + ") is not finite: " + data[i]);
        }
    }

    public double get(int i, int j) {
        return data[i * cols + j];
    }

    /** y [m] = A x, x [n]. */
    public double[] times(double[] x) {
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            int o = i * cols;
            for (int j = 0; j < cols; j++) s += data[o + j] * x[j];
            y[i] = s;
        }
        return y;
    }

    /** g [n] = A^T r, r [m]. */
    public double[] transposeTimes(double[] r) {
        double[] g = new double[cols];
        for (int i = 0; i < rows; i++) {
            double ri = r[i];
            if (ri == 0) continue;
            int o = i * cols;
            for (int j = 0; j < cols; j++) g[j] += data[o + j] * ri;
        }
        return g;
    }

    /** Column j, [m]. */
    public double[] column(int j) {
        double[] c = new double[rows];
        for (int i = 0; i < rows; i++) c[i] = data[i * cols + j];
        return c;
    }

    /** ||a_j||_2 for every column, [n]. */
    public double[] columnNorms() {
        double[] s = new double[cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) s[j] += data[i * cols + j] * data[i * cols + j];
        for (int j = 0; j < cols; j++) s[j] = Math.sqrt(s[j]);
        return s;
    }

    /** G [n, n] = A^T A. */
    public double[] gram() {
        double[] g = new double[cols * cols];
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int a = 0; a < cols; a++) {
                double v = data[o + a];
                if (v == 0) continue;
                for (int b = 0; b < cols; b++) g[a * cols + b] += v * data[o + b];
            }
        }
        return g;
    }

    /** A1 ⊗ A2 [m1 m2, n1 n2]: entry ((i1 m2 + i2), (j1 n2 + j2)) = A1[i1, j1] A2[i2, j2]. */
    public static Dictionary kronecker(Dictionary a1, Dictionary a2) {
        int m = a1.rows * a2.rows, n = a1.cols * a2.cols;
        double[] d = new double[m * n];
        for (int i1 = 0; i1 < a1.rows; i1++) for (int j1 = 0; j1 < a1.cols; j1++) {
            double v = a1.get(i1, j1);
            for (int i2 = 0; i2 < a2.rows; i2++) for (int j2 = 0; j2 < a2.cols; j2++) {
                d[(i1 * a2.rows + i2) * n + j1 * a2.cols + j2] = v * a2.get(i2, j2);
            }
        }
        return new Dictionary(m, n, d);
    }

    /** Refuses a signal y whose length is not {@code rows} or that holds a non-finite value. */
    public void checkSignal(double[] y) {
        if (y.length != rows) throw new LacunaException("signal has " + y.length + " values, the dictionary has " + rows + " rows");
        for (int i = 0; i < y.length; i++) if (!Double.isFinite(y[i])) throw new LacunaException("signal value " + i + " is not finite: " + y[i]);
    }

    /** Refuses a sparsity k outside [1, min(rows, cols)]. */
    public void checkSparsity(int k) {
        if (k < 1 || k > cols) throw new LacunaException("sparsity k must be in [1, " + cols + "] (the dictionary's columns), got " + k);
        if (k > rows) throw new LacunaException("sparsity k = " + k + " exceeds the dictionary's " + rows + " rows");
    }
}
