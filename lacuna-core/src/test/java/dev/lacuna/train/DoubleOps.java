// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.kernel.internal.Erf;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Pooling;

/** Double-precision copies of the training ops' forwards, the functions the finite differences differentiate. */
final class DoubleOps {
    private DoubleOps() {}

    /** y[T, N] = x[T, K] · W[N, K]ᵀ + b[N] (b may be null). */
    static double[] linear(double[] x, int t, double[] w, double[] b, int n, int k) {
        double[] y = new double[t * n];
        for (int i = 0; i < t; i++) {
            for (int r = 0; r < n; r++) {
                double s = b == null ? 0 : b[r];
                for (int p = 0; p < k; p++) s += x[i * k + p] * w[r * k + p];
                y[i * n + r] = s;
            }
        }
        return y;
    }

    static double[] layerNorm(double[] x, int t, int c, double[] g, double[] b, double eps) {
        double[] y = new double[t * c];
        for (int r = 0; r < t; r++) {
            double m = 0, v = 0;
            for (int j = 0; j < c; j++) m += x[r * c + j];
            m /= c;
            for (int j = 0; j < c; j++) v += (x[r * c + j] - m) * (x[r * c + j] - m);
            v /= c;
            double inv = 1 / Math.sqrt(v + eps);
            for (int j = 0; j < c; j++) y[r * c + j] = (x[r * c + j] - m) * inv * g[j] + b[j];
        }
        return y;
    }

    static double[] gelu(double[] u) {
        double[] a = new double[u.length];
        for (int i = 0; i < u.length; i++) a[i] = u[i] * 0.5 * (1 + Erf.erf(u[i] / Math.sqrt(2)));
        return a;
    }

    static double[] add(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) s[i] = a[i] + b[i];
        return s;
    }

    static double[] attention(double[] q, double[] k, double[] v, int[] starts, int c, int h, double scale) {
        int d = c / h;
        double[] z = new double[q.length];
        for (int s = 0; s + 1 < starts.length; s++) {
            int st = starts[s], len = starts[s + 1] - st;
            for (int hd = 0; hd < h; hd++) {
                for (int i = 0; i < len; i++) {
                    double[] p = new double[len];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < len; j++) {
                        double dot = 0;
                        for (int e = 0; e < d; e++) dot += q[(st + i) * c + hd * d + e] * k[(st + j) * c + hd * d + e];
                        p[j] = dot * scale;
                        max = Math.max(max, p[j]);
                    }
                    for (int j = 0; j < len; j++) sum += p[j] = Math.exp(p[j] - max);
                    for (int e = 0; e < d; e++) {
                        double acc = 0;
                        for (int j = 0; j < len; j++) acc += p[j] / sum * v[(st + j) * c + hd * d + e];
                        z[(st + i) * c + hd * d + e] = acc;
                    }
                }
            }
        }
        return z;
    }

    static double[] embed(Batch batch, double[] word, double[] pos, double[] type, int c) {
        double[] x = new double[batch.tokens() * c];
        for (int s = 0; s < batch.sequences(); s++) {
            int st = batch.seqStarts()[s];
            for (int i = 0; i < batch.length(s); i++) {
                int id = batch.ids()[st + i];
                for (int j = 0; j < c; j++) x[(st + i) * c + j] = word[id * c + j] + pos[i * c + j] + type[j];
            }
        }
        return x;
    }

    /** Pooled, L2-normalised embeddings [B, C], flattened. */
    static double[] pool(Pooling pooling, double[] hidden, int c, int[] starts) {
        int b = starts.length - 1;
        double[] e = new double[b * c];
        for (int s = 0; s < b; s++) {
            int st = starts[s], len = starts[s + 1] - st;
            if (pooling == Pooling.CLS) {
                System.arraycopy(hidden, st * c, e, s * c, c);
            } else {
                for (int i = 0; i < len; i++) for (int j = 0; j < c; j++) e[s * c + j] += hidden[(st + i) * c + j] / len;
            }
            double ss = 0;
            for (int j = 0; j < c; j++) ss += e[s * c + j] * e[s * c + j];
            double n = Math.max(Math.sqrt(ss), 1e-12);
            for (int j = 0; j < c; j++) e[s * c + j] /= n;
        }
        return e;
    }
}
