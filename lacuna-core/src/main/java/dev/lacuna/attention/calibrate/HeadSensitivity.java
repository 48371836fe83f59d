// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

/**
 * The Head Sensitivity Score of HeSS (Kim et al., 2026, "HeSS: Head Sensitivity Score for Sparsity
 * Redistribution in VGGT"): the curvature (Hessian) of two error terms with respect to a head's
 * sparsification error, measured on calibration windows.
 *
 * <p>Shapes: T calibration tokens, C = H x D hidden width, head h owns columns [h D, (h + 1) D).
 * The head's sparsification error is δ_t = z_t(sparse) - z_t(dense) [D] per token, and the layer's
 * output is perturbed along it, z_h + α δ. The two error terms, as functions of α:
 * <ul>
 * <li>E_out(α) = Σ_t ||α W_o,h δ_t||²: the error of the attention block's output (after the output
 *     projection W_o, before the residual add);</li>
 * <li>E_ln(α) = Σ_t ||LN(u_t + α W_o,h δ_t) - LN(u_t)||²: the error the next block sees, after the
 *     residual add and the LayerNorm (u_t = layer input + dense attention output).</li>
 * </ul>
 * Both are zero with zero gradient at α = 0, so their Hessian there is exactly the Gauss-Newton one:
 * H_out = 2 Σ_t ||W_o,h δ_t||², H_ln = 2 Σ_t ||J_t W_o,h δ_t||², J_t the LayerNorm Jacobian at u_t
 * (γ/σ ⊙ (v - mean v - û (û·v) / C)). Divided by Σ_t ||δ_t||² each is the curvature per unit of head
 * error along the sparsification direction; the score is their mean after normalising each to mean 1
 * over the model's heads. What the paper's abstract does not fix and this class chooses: the two error
 * terms (the paper's are VGGT's), the direction (one reference sparsification per head, not every
 * candidate's own), and the equal weighting of the terms. Errors at the model's output (through the
 * later layers) are not included.
 */
public final class HeadSensitivity {
    private HeadSensitivity() {}

    /**
     * @param wo    [C out, C in] the attention output projection's weight
     * @param gamma [C] the LayerNorm after the residual add: its weight
     * @param eps   its epsilon
     * @param u     [T, C] the LayerNorm's input with dense attention (layer input + attention output)
     * @param delta [T, C] sparse minus dense attention output z; columns [col, col + d) are read
     * @return {H_out, H_ln, Σ_t ||δ_t||²}
     */
    public static double[] hessians(float[] wo, float[] gamma, double eps, float[] u, float[] delta, int tokens, int c, int col, int d) {
        double hOut = 0, hLn = 0, d2 = 0;
        double[] g = new double[c], uh = new double[c];
        for (int t = 0; t < tokens; t++) {
            int r = t * c;
            for (int x = 0; x < d; x++) d2 += (double) delta[r + col + x] * delta[r + col + x];
            double gm = 0;
            for (int o = 0; o < c; o++) {
                double s = 0;
                for (int x = 0; x < d; x++) s += (double) wo[o * c + col + x] * delta[r + col + x];
                g[o] = s;
                gm += s;
                hOut += s * s;
            }
            gm /= c;
            double mu = 0, var = 0;
            for (int o = 0; o < c; o++) mu += u[r + o];
            mu /= c;
            for (int o = 0; o < c; o++) var += (u[r + o] - mu) * (u[r + o] - mu);
            double sigma = Math.sqrt(var / c + eps), dot = 0;
            for (int o = 0; o < c; o++) {
                uh[o] = (u[r + o] - mu) / sigma;
                dot += uh[o] * g[o];
            }
            for (int o = 0; o < c; o++) {
                double jg = gamma[o] / sigma * (g[o] - gm - uh[o] * dot / c);
                hLn += jg * jg;
            }
        }
        return new double[] {2 * hOut, 2 * hLn, d2};
    }

    /**
     * Scores from {@link #hessians} of every head ([heads][3], any order): ½ (c_out / mean c_out +
     * c_ln / mean c_ln) with c = H / Σ ||δ||²; mean 1 over the heads. A head with no error (δ = 0)
     * scores by its curvature 0.
     */
    public static double[] scores(double[][] h) {
        int n = h.length;
        double[] cOut = new double[n], cLn = new double[n];
        double mOut = 0, mLn = 0;
        for (int i = 0; i < n; i++) {
            cOut[i] = h[i][2] > 0 ? h[i][0] / h[i][2] : 0;
            cLn[i] = h[i][2] > 0 ? h[i][1] / h[i][2] : 0;
            mOut += cOut[i] / n;
            mLn += cLn[i] / n;
        }
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = 0.5 * (cOut[i] / Math.max(mOut, 1e-300) + cLn[i] / Math.max(mLn, 1e-300));
        return s;
    }
}
