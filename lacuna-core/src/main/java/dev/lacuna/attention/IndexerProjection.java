// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

/**
 * A training-free low-rank indexer for one head: q·(k - k̄) ≈ (q A)·((k - k̄) B) with A, B [D, r].
 *
 * <p>Fitted from sample rows as the best rank-r approximation of the bilinear form under the
 * sample statistics: with Cq = E[q qᵀ], Ck = Cov(k) and X = Cq^½ Ck^½ = U Σ Vᵀ,
 * A = Cq^-½ U_r Σ_r^½ and B = Ck^-½ V_r Σ_r^½ minimise E[(qᵀ(k - k̄) - (qA)·((k - k̄)B))²]
 * (Eckart-Young in the whitened metric). Centering keys is free: q·k̄ is the same for every key of a
 * query, so rankings and softmax weights are unchanged. This replaces DeepSeek Sparse Attention's
 * trained indexer; RTPurbo (2025) finds 16 dimensions enough for long-range retrieval.
 *
 * @param a    [D, r] query projection, row-major
 * @param b    [D, r] key projection, row-major
 * @param mean [D] key mean k̄
 */
public record IndexerProjection(int headDim, int rank, float[] a, float[] b, float[] mean) {

    /**
     * Fits from up to {@code sample} evenly spaced rows of one head of one sequence (arguments as
     * in {@link AttentionKernel#attend}).
     */
    public static IndexerProjection fit(float[] q, float[] k, int stride, int start, int length, int col, int d,
                                        int rank, int sample) {
        int r = Math.min(rank, d);
        int m = Math.min(sample, length);
        double[] cq = new double[d * d], ck = new double[d * d], mean = new double[d];
        for (int x = 0; x < m; x++) {
            int row = start + (int) ((long) x * length / m);
            int ko = row * stride + col;
            for (int i = 0; i < d; i++) mean[i] += k[ko + i];
        }
        for (int i = 0; i < d; i++) mean[i] /= m;
        double[] kc = new double[d];
        for (int x = 0; x < m; x++) {
            int row = start + (int) ((long) x * length / m);
            int qo = row * stride + col, ko = row * stride + col;
            for (int i = 0; i < d; i++) kc[i] = k[ko + i] - mean[i];
            for (int i = 0; i < d; i++) {
                double qi = q[qo + i], ki = kc[i];
                for (int j = 0; j < d; j++) {
                    cq[i * d + j] += qi * q[qo + j];
                    ck[i * d + j] += ki * kc[j];
                }
            }
        }
        regularise(cq, d, m);
        regularise(ck, d, m);
        double[] wq = new double[d], vq = new double[d * d], wk = new double[d], vk = new double[d * d];
        Eigen.symmetric(cq.clone(), d, wq, vq);
        Eigen.symmetric(ck.clone(), d, wk, vk);
        double[] cqHalf = Eigen.apply(wq, vq, d, Math::sqrt), cqInvHalf = Eigen.apply(wq, vq, d, w -> 1 / Math.sqrt(w));
        double[] ckHalf = Eigen.apply(wk, vk, d, Math::sqrt), ckInvHalf = Eigen.apply(wk, vk, d, w -> 1 / Math.sqrt(w));
        double[] x = Eigen.mul(cqHalf, ckHalf, d);
        // SVD of X from the eigen-decomposition of XᵀX: V, Σ²; then U = X V Σ^-1
        double[] xtx = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) {
            double s = 0;
            for (int t = 0; t < d; t++) s += x[t * d + i] * x[t * d + j];
            xtx[i * d + j] = s;
        }
        double[] sig2 = new double[d], v = new double[d * d];
        Eigen.symmetric(xtx, d, sig2, v);
        float[] a = new float[d * r], b = new float[d * r];
        for (int c = 0; c < r; c++) {
            double sigma = Math.sqrt(Math.max(sig2[c], 1e-30)), root = Math.sqrt(sigma);
            double[] u = new double[d];
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int t = 0; t < d; t++) s += x[i * d + t] * v[t * d + c];
                u[i] = s / sigma;
            }
            for (int i = 0; i < d; i++) {
                double sa = 0, sb = 0;
                for (int t = 0; t < d; t++) {
                    sa += cqInvHalf[i * d + t] * u[t];
                    sb += ckInvHalf[i * d + t] * v[t * d + c];
                }
                a[i * r + c] = (float) (sa * root);
                b[i * r + c] = (float) (sb * root);
            }
        }
        float[] mf = new float[d];
        for (int i = 0; i < d; i++) mf[i] = (float) mean[i];
        return new IndexerProjection(d, r, a, b, mf);
    }

    /** c /= m, plus a ridge of 1e-6 x the mean eigenvalue so that inverse roots exist. */
    private static void regularise(double[] c, int d, int m) {
        double tr = 0;
        for (int i = 0; i < d * d; i++) c[i] /= m;
        for (int i = 0; i < d; i++) tr += c[i * d + i];
        double ridge = Math.max(1e-12, 1e-6 * tr / d);
        for (int i = 0; i < d; i++) c[i * d + i] += ridge;
    }

    /** dst[dOff + c] = (src[sOff, sOff + D) - (center ? mean : 0)) · P[:, c] for P = A or B, c < rank. */
    void project(float[] src, int sOff, boolean key, float[] dst, int dOff, float scale) {
        float[] p = key ? b : a;
        int d = headDim, r = rank;
        for (int c = 0; c < r; c++) dst[dOff + c] = 0;
        for (int i = 0; i < d; i++) {
            float x = (key ? src[sOff + i] - mean[i] : src[sOff + i]) * scale;
            int po = i * r;
            for (int c = 0; c < r; c++) dst[dOff + c] += x * p[po + c];
        }
    }
}
