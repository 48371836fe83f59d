// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;
import dev.lacuna.kernel.internal.Species;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A dense dictionary (design matrix) A [rows = m, cols = n], row-major, with the products every solver
 * uses. The constructor checks the shape and that every entry is finite; {@link #checkSignal} checks a y.
 * The products run on the Vector API ({@link Species#DOUBLE}: the kernels' shape, narrowed by -Dlacuna.vectorsize); the plain loops they must match
 * are kept beside them as {@code *Reference}. Lanes are summed in a fixed order, so a product gives the
 * same bits compiled or interpreted.
 */
public record Dictionary(int rows, int cols, double[] data) {
    private static final VectorSpecies<Double> S = Species.DOUBLE;
    private static final int L = S.length();

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

    /** y [m] = A x, x [n]: one dot product per row. */
    public double[] times(double[] x) {
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) y[i] = dot(data, i * cols, x, cols);
        return y;
    }

    /** Σ_j a[ao + j] b[j], j < n: four vector accumulators, then the lanes and the tail in order. */
    static double dot(double[] a, int ao, double[] b, int n) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int j = 0;
        for (; j <= n - 4 * L; j += 4 * L) {
            s0 = DoubleVector.fromArray(S, a, ao + j).fma(DoubleVector.fromArray(S, b, j), s0);
            s1 = DoubleVector.fromArray(S, a, ao + j + L).fma(DoubleVector.fromArray(S, b, j + L), s1);
            s2 = DoubleVector.fromArray(S, a, ao + j + 2 * L).fma(DoubleVector.fromArray(S, b, j + 2 * L), s2);
            s3 = DoubleVector.fromArray(S, a, ao + j + 3 * L).fma(DoubleVector.fromArray(S, b, j + 3 * L), s3);
        }
        for (; j <= n - L; j += L) s0 = DoubleVector.fromArray(S, a, ao + j).fma(DoubleVector.fromArray(S, b, j), s0);
        DoubleVector v = s0.add(s1).add(s2.add(s3));
        double s = 0;
        for (int l = 0; l < L; l++) s += v.lane(l);
        for (; j < n; j++) s = Math.fma(a[ao + j], b[j], s);
        return s;
    }

    /** g [n] = A^T r, r [m]: rows added four at a time, g += r_i a_i + ... + r_{i+3} a_{i+3}. */
    public double[] transposeTimes(double[] r) {
        double[] g = new double[cols];
        int i = 0;
        for (; i + 4 <= rows; i += 4) axpy4(g, 0, data, i * cols, cols, r[i], r[i + 1], r[i + 2], r[i + 3], 0, cols);
        for (; i < rows; i++) axpy4(g, 0, data, i * cols, 0, r[i], 0, 0, 0, 0, cols);
        return g;
    }

    /** The plain loop {@link #times} must match: y [m] = A x. */
    double[] timesReference(double[] x) {
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            int o = i * cols;
            for (int j = 0; j < cols; j++) s += data[o + j] * x[j];
            y[i] = s;
        }
        return y;
    }

    /** The plain loop {@link #transposeTimes} must match: g [n] = A^T r. */
    double[] transposeTimesReference(double[] r) {
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

    /** G [n, n] = A^T A: the upper triangle row by row (G[a, a..n) = Σ_i A[i, a] A[i, a..n)), then mirrored. */
    public double[] gram() {
        double[] g = new double[cols * cols];
        for (int a = 0; a < cols; a++) {
            int i = 0, ga = a * cols;
            for (; i + 4 <= rows; i += 4) {
                int o = i * cols;
                // g[ga + j] += Σ_t A[i+t, a] A[i+t, j] for j >= a: the rows of G are the axpy's target
                axpy4(g, ga, data, o, cols, data[o + a], data[o + cols + a], data[o + 2 * cols + a], data[o + 3 * cols + a], a, cols);
            }
            for (; i < rows; i++) axpy4(g, ga, data, i * cols, 0, data[i * cols + a], 0, 0, 0, a, cols);
        }
        for (int a = 0; a < cols; a++) for (int b = 0; b < a; b++) g[a * cols + b] = g[b * cols + a];
        return g;
    }

    /**
     * g[go + j] += c0 a[o + j] + c1 a[o + s + j] + c2 a[o + 2s + j] + c3 a[o + 3s + j] for j in [from, to):
     * four rows s apart (s = 0 with c1 = c2 = c3 = 0 adds one row).
     */
    private static void axpy4(double[] g, int go, double[] a, int o, int s, double c0, double c1, double c2, double c3, int from, int to) {
        DoubleVector v0 = DoubleVector.broadcast(S, c0), v1 = DoubleVector.broadcast(S, c1);
        DoubleVector v2 = DoubleVector.broadcast(S, c2), v3 = DoubleVector.broadcast(S, c3);
        int j = from;
        for (; j <= to - L; j += L) {
            DoubleVector acc = DoubleVector.fromArray(S, g, go + j);
            acc = DoubleVector.fromArray(S, a, o + j).fma(v0, acc);
            acc = DoubleVector.fromArray(S, a, o + s + j).fma(v1, acc);
            acc = DoubleVector.fromArray(S, a, o + 2 * s + j).fma(v2, acc);
            acc = DoubleVector.fromArray(S, a, o + 3 * s + j).fma(v3, acc);
            acc.intoArray(g, go + j);
        }
        for (; j < to; j++) {
            double v = g[go + j];
            v = Math.fma(a[o + j], c0, v);
            v = Math.fma(a[o + s + j], c1, v);
            v = Math.fma(a[o + 2 * s + j], c2, v);
            g[go + j] = Math.fma(a[o + 3 * s + j], c3, v);
        }
    }

    /** The plain loop {@link #gram} must match: G [n, n] = A^T A. */
    double[] gramReference() {
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
