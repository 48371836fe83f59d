// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

import java.util.SplittableRandom;

/** Seeded test problems: Gaussian and conditioned dictionaries, planted sparse vectors, noise at a given SNR. */
public final class Problems {
    private Problems() {}

    /** A [m, n] with i.i.d. N(0, 1/m) entries (columns of unit norm in expectation). */
    public static Dictionary gaussian(int m, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] d = new double[m * n];
        double s = 1 / Math.sqrt(m);
        for (int i = 0; i < d.length; i++) d[i] = gaussian(rng) * s;
        return new Dictionary(m, n, d);
    }

    /**
     * A [m, n] = U diag(s) V^T with U [m, r], V [n, r] random orthonormal (r = min(m, n)) and singular values
     * geometric from 1 down to 1 / {@code condition}, scaled by sqrt(n / r) so columns keep norm ≈ 1.
     * Also returns V's last column (the least observed direction), which {@link #adversarialSupport} uses.
     */
    public static Conditioned conditioned(int m, int n, double condition, long seed) {
        if (!(condition >= 1)) throw new LacunaException("condition number must be >= 1, got " + condition);
        SplittableRandom rng = new SplittableRandom(seed);
        int r = Math.min(m, n);
        double[] u = orthonormal(m, r, rng), v = orthonormal(n, r, rng);
        double scale = Math.sqrt((double) n / r);
        double[] d = new double[m * n];
        for (int k = 0; k < r; k++) {
            double s = scale * Math.pow(condition, -(double) k / Math.max(r - 1, 1));
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) d[i * n + j] += u[i * r + k] * s * v[j * r + k];
        }
        double[] weak = new double[n];
        for (int j = 0; j < n; j++) weak[j] = v[j * r + r - 1];
        return new Conditioned(new Dictionary(m, n, d), weak);
    }

    /** A conditioned dictionary and its least observed right singular direction [n]. */
    public record Conditioned(Dictionary dictionary, double[] weakDirection) {}

    /** k distinct indices of [0, n) drawn uniformly, sorted. */
    public static int[] randomSupport(int n, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        int[] s = java.util.Arrays.copyOf(p, k);
        java.util.Arrays.sort(s);
        return s;
    }

    /** The k coordinates where the least observed direction is largest: a support aligned with what A barely sees. */
    public static int[] adversarialSupport(double[] weakDirection, int k) {
        return Vectors.topK(weakDirection, k);
    }

    /** x [n] with ±(1 + |N(0,1)|) on the support, zero elsewhere (magnitudes bounded away from 0). */
    public static double[] planted(int n, int[] support, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int j : support) x[j] = (rng.nextBoolean() ? 1 : -1) * (1 + Math.abs(gaussian(rng)));
        return x;
    }

    /** y = A x + noise of variance ||A x||² / (m · 10^(snrDb/10)); returns y [m] and the noise variance. */
    public static Measurement measure(Dictionary a, double[] x, double snrDb, long seed) {
        double[] clean = a.times(x);
        double power = Vectors.dot(clean, clean) / clean.length;
        double var = power / Math.pow(10, snrDb / 10);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] y = new double[clean.length];
        for (int i = 0; i < y.length; i++) y[i] = clean[i] + Math.sqrt(var) * gaussian(rng);
        return new Measurement(y, var);
    }

    /** y [m] and the noise variance it was drawn with. */
    public record Measurement(double[] y, double noiseVariance) {}

    /** v [n] with i.i.d. N(0, 1) entries. */
    public static double[] gaussianVector(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = gaussian(rng);
        return v;
    }

    /** ||x̂ − x||² / ||x||². */
    public static double nmse(double[] estimate, double[] truth) {
        double e = 0, t = 0;
        for (int j = 0; j < truth.length; j++) {
            e += (estimate[j] - truth[j]) * (estimate[j] - truth[j]);
            t += truth[j] * truth[j];
        }
        return e / t;
    }

    /** Columns [rows, cols] of Gram-Schmidt on Gaussian vectors (twice, for orthogonality to rounding). */
    private static double[] orthonormal(int rows, int cols, SplittableRandom rng) {
        double[] q = new double[rows * cols];
        for (int i = 0; i < q.length; i++) q[i] = gaussian(rng);
        for (int c = 0; c < cols; c++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < c; p++) {
                    double dot = 0;
                    for (int i = 0; i < rows; i++) dot += q[i * cols + c] * q[i * cols + p];
                    for (int i = 0; i < rows; i++) q[i * cols + c] -= dot * q[i * cols + p];
                }
            }
            double nrm = 0;
            for (int i = 0; i < rows; i++) nrm += q[i * cols + c] * q[i * cols + c];
            nrm = Math.sqrt(nrm);
            for (int i = 0; i < rows; i++) q[i * cols + c] /= nrm;
        }
        return q;
    }

    static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
