// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

/**
 * Distillation losses on pooled, L2-normalised embeddings, each with its gradient on the student's
 * embeddings (the normalisation's own backward is {@link PoolingOp#backward}).
 * Shapes: B sequences, C hidden; {@code s} the student's [B][C], {@code t} the teacher's [B][C].
 * Sums run in double in a fixed order.
 */
public final class EmbeddingLoss {
    private EmbeddingLoss() {}

    /**
     * L = Σ (s − t)² / (B·C), sentence-transformers' MSELoss distillation; ds += 2(s − t)/(B·C).
     *
     * @param ds [B][C] added to
     */
    public static double mse(float[][] s, float[][] t, float[][] ds) {
        int b = s.length, c = s[0].length;
        double n = (double) b * c, sum = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < c; j++) {
                double d = (double) s[i][j] - t[i][j];
                sum += d * d;
                ds[i][j] += (float) (2 * d / n);
            }
        }
        return sum / n;
    }

    /**
     * L = mean over sequences of 1 − cos(s, t); with s of unit norm, ds += −t/(‖t‖·B) (the part along s
     * is removed by the normalisation's backward).
     *
     * @param ds [B][C] added to
     */
    public static double cosine(float[][] s, float[][] t, float[][] ds) {
        int b = s.length, c = s[0].length;
        double sum = 0;
        for (int i = 0; i < b; i++) {
            double dot = 0, ss = 0, tt = 0;
            for (int j = 0; j < c; j++) {
                dot += (double) s[i][j] * t[i][j];
                ss += (double) s[i][j] * s[i][j];
                tt += (double) t[i][j] * t[i][j];
            }
            double ns = Math.max(Math.sqrt(ss), 1e-12), nt = Math.max(Math.sqrt(tt), 1e-12);
            sum += 1 - dot / (ns * nt);
            for (int j = 0; j < c; j++) {
                // ∂(−cos)/∂s_j = −t_j/(‖s‖‖t‖) + cos·s_j/‖s‖²
                ds[i][j] += (float) ((-t[i][j] / (ns * nt) + dot / (ns * nt) * s[i][j] / (ns * ns)) / b);
            }
        }
        return sum / b;
    }

    /** CoSENT's scale λ, as in its author's code and sentence-transformers' CoSENTLoss. */
    public static final double COSENT_SCALE = 20;

    /**
     * CoSENT (Su 2022): over the scored pairs of a batch, pair p of rows (a[p], b[p]) with cosine
     * c_p and gold score y_p, L = log(1 + Σ_{p,q: y_p > y_q} exp(λ(c_q − c_p))): a pair scored above
     * another should have the larger cosine (ties add nothing). With w_pq = exp(λ(c_q − c_p)) / (1 + Σ),
     * ∂L/∂c_q += λ·w_pq and ∂L/∂c_p −= λ·w_pq, then ∂c/∂a = b/(‖a‖‖b‖) − c·a/‖a‖² (b likewise).
     * Summed by log-sum-exp in double, pairs in order.
     *
     * @param e      [R][C] embeddings
     * @param a      [P] row of each pair's first sentence
     * @param b      [P] row of its second
     * @param y      [P] gold scores
     * @param weight factor on the gradient (the caller weighs the loss alike)
     * @param de     [R][C] added to
     * @return the unweighted loss
     */
    public static double cosent(float[][] e, int[] a, int[] b, double[] y, double scale, double weight, float[][] de) {
        int n = a.length, c = e[0].length;
        double[] cos = new double[n], na = new double[n], nb = new double[n];
        for (int p = 0; p < n; p++) {
            double dot = 0, aa = 0, bb = 0;
            float[] u = e[a[p]], v = e[b[p]];
            for (int j = 0; j < c; j++) {
                dot += (double) u[j] * v[j];
                aa += (double) u[j] * u[j];
                bb += (double) v[j] * v[j];
            }
            na[p] = Math.max(Math.sqrt(aa), 1e-12);
            nb[p] = Math.max(Math.sqrt(bb), 1e-12);
            cos[p] = dot / (na[p] * nb[p]);
        }
        double max = 0;   // the "1" term is exp(0)
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) if (y[p] > y[q]) max = Math.max(max, scale * (cos[q] - cos[p]));
        }
        double sum = Math.exp(-max);
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) if (y[p] > y[q]) sum += Math.exp(scale * (cos[q] - cos[p]) - max);
        }
        double[] dc = new double[n];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                if (!(y[p] > y[q])) continue;
                double w = Math.exp(scale * (cos[q] - cos[p]) - max) / sum;
                dc[q] += scale * w;
                dc[p] -= scale * w;
            }
        }
        for (int p = 0; p < n; p++) {
            float[] u = e[a[p]], v = e[b[p]], du = de[a[p]], dv = de[b[p]];
            double k = weight * dc[p], nab = na[p] * nb[p];
            for (int j = 0; j < c; j++) {
                du[j] += (float) (k * (v[j] / nab - cos[p] * u[j] / (na[p] * na[p])));
                dv[j] += (float) (k * (u[j] / nab - cos[p] * v[j] / (nb[p] * nb[p])));
            }
        }
        return max + Math.log(sum);
    }
}
