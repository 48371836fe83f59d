// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.concurrent.Parallel;

/**
 * Feature-Choice SAE (Ayonrinde 2024): each latent chooses its top m = max(1, floor(B·k / L)) tokens
 * of the batch (positive pre-activations only), so every latent has the same capacity and tokens
 * get a variable number of latents. Trained with aux_zipf_loss; inference uses per-latent thresholds
 * (a running mean of the smallest activation each latent selected), a JumpReLU.
 */
public final class FeatureChoiceSae extends SaeArchitecture {
    static final SaeKind KIND = new SaeKind("featurechoice", FeatureChoiceSae::new, true, SaeKind.Aux.AUX_ZIPF, SaeKind.Threshold.ESTIMATED);

    FeatureChoiceSae(SaeConfig cfg) {
        super(cfg);
    }

    /** Tokens each latent may take from a batch of {@code rows}. */
    int capacity(int rows, int latents) {
        return (int) Math.max(1, (long) rows * cfg.k() / latents);
    }

    @Override
    protected void select(Parallel par, float[] pre, int rows, SaeParams p, Codes out) {
        int l = p.dSae, m = Math.min(rows, capacity(rows, l));
        int[] colCount = new int[l];
        int[] colRow = new int[l * m];
        float[] colVal = new float[l * m];
        par.forRange(l, 64, (s, e) -> {
            float[] col = new float[rows];
            int[] hi = new int[m];
            float[] hv = new float[m];
            for (int j = s; j < e; j++) {
                for (int b = 0; b < rows; b++) col[b] = pre[b * l + j];
                int n = TopKSae.topK(col, 0, rows, m, null, hi, hv);
                int c = 0;
                for (int q = 0; q < n; q++) {
                    if (hv[q] > 0) {
                        colRow[j * m + c] = hi[q];
                        colVal[j * m + c] = hv[q];
                        c++;
                    }
                }
                colCount[j] = c;
            }
        });
        int[] colPtr = new int[l + 1];
        for (int j = 0; j < l; j++) colPtr[j + 1] = colPtr[j] + colCount[j];
        int[] r = new int[colPtr[l]];
        float[] v = new float[colPtr[l]];
        for (int j = 0; j < l; j++) {
            System.arraycopy(colRow, j * m, r, colPtr[j], colCount[j]);
            System.arraycopy(colVal, j * m, v, colPtr[j], colCount[j]);
        }
        out.fromColumns(rows, l, colPtr, r, v);
    }

    @Override
    protected void selectInference(Parallel par, float[] pre, int rows, SaeParams p, Codes out) {
        BatchTopKSae.selectThreshold(par, pre, rows, p, out);
    }

    @Override
    protected void afterStep(SaeParams p, Codes c, long step) {
        float[] min = new float[p.dSae];
        java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
        for (int b = 0; b < c.rows; b++) for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) min[c.idx[q]] = Math.min(min[c.idx[q]], c.val[q]);
        for (int j = 0; j < p.dSae; j++) {
            if (min[j] == Float.POSITIVE_INFINITY) continue;
            p.threshold[j] = p.threshold[j] == 0f ? min[j] : p.threshold[j] + 0.01f * (min[j] - p.threshold[j]);
        }
    }

    /** θ_j = mean over calibration batches of the smallest of latent j's chosen tokens (batches where it chose any). */
    @Override
    protected void calibrate(Parallel par, SaeParams p, float[] x, int batches, int rows) {
        Work w = new Work();
        Codes c = new Codes();
        double[] sum = new double[p.dSae];
        int[] n = new int[p.dSae];
        for (int t = 0; t < batches; t++) {
            float[] xb = java.util.Arrays.copyOfRange(x, t * rows * p.dIn, (t + 1) * rows * p.dIn);
            w.ensure(rows, p.dIn, p.dSae);
            encodePre(par, p, xb, rows, w);
            select(par, w.pre, rows, p, c);
            float[] min = new float[p.dSae];
            java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
            for (int b = 0; b < rows; b++) for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) min[c.idx[q]] = Math.min(min[c.idx[q]], c.val[q]);
            for (int j = 0; j < p.dSae; j++) {
                if (min[j] != Float.POSITIVE_INFINITY) {
                    sum[j] += min[j];
                    n[j]++;
                }
            }
        }
        for (int j = 0; j < p.dSae; j++) if (n[j] > 0) p.threshold[j] = (float) (sum[j] / n[j]);
    }
}
