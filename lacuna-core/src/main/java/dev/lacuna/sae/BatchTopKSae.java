// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.concurrent.Parallel;

/**
 * BatchTopK SAE (Bussmann et al. 2024): the B·k largest positive pre-activations of the whole batch
 * are active, so tokens get a variable number of latents with k on average. At inference a token is
 * encoded on its own with the global threshold θ (a running mean of the smallest selected activation
 * per batch, ibid. Section 3), which makes it a JumpReLU with one θ.
 */
public class BatchTopKSae extends SaeArchitecture {
    static final SaeKind KIND = new SaeKind("batchtopk", BatchTopKSae::new, true, SaeKind.Aux.NONE, SaeKind.Threshold.ESTIMATED);

    BatchTopKSae(SaeConfig cfg) {
        super(cfg);
    }

    @Override
    protected void select(Parallel par, float[] pre, int rows, SaeParams p, Codes out) {
        selectGlobal(pre, rows, p.dSae, (long) rows * cfg.k(), out);
    }

    @Override
    protected void selectInference(Parallel par, float[] pre, int rows, SaeParams p, Codes out) {
        selectThreshold(par, pre, rows, p, out);
    }

    @Override
    protected void afterStep(SaeParams p, Codes c, long step) {
        float min = Float.POSITIVE_INFINITY;
        for (int b = 0; b < c.rows; b++) for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) if (c.val[q] > 0) min = Math.min(min, c.val[q]);
        if (min == Float.POSITIVE_INFINITY) return;
        float t = step == 0 ? min : p.threshold[0] + 0.01f * (min - p.threshold[0]);
        java.util.Arrays.fill(p.threshold, t);
    }

    /** θ = mean over calibration batches of the smallest value the batch's top B·k keeps (ibid., Section 3). */
    @Override
    protected void calibrate(Parallel par, SaeParams p, float[] x, int batches, int rows) {
        Work w = new Work();
        Codes c = new Codes();
        double sum = 0;
        int n = 0;
        for (int t = 0; t < batches; t++) {
            float[] xb = java.util.Arrays.copyOfRange(x, t * rows * p.dIn, (t + 1) * rows * p.dIn);
            w.ensure(rows, p.dIn, p.dSae);
            encodePre(par, p, xb, rows, w);
            selectGlobal(w.pre, rows, p.dSae, (long) rows * cfg.k(), c);
            float min = Float.POSITIVE_INFINITY;
            for (int b = 0; b < rows; b++) for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) min = Math.min(min, c.val[q]);
            if (min != Float.POSITIVE_INFINITY) {
                sum += min;
                n++;
            }
        }
        if (n > 0) java.util.Arrays.fill(p.threshold, (float) (sum / n));
    }

    /**
     * The {@code budget} largest positive values of pre [rows, L] (ties at the cut broken by row, then
     * latent order), as codes. Finds the cut by quickselect over the positive values: O(B·L).
     */
    static void selectGlobal(float[] pre, int rows, int l, long budget, Codes out) {
        int n = rows * l;
        int pos = 0;
        for (int i = 0; i < n; i++) if (pre[i] > 0) pos++;
        float cut;
        long take = Math.min(budget, pos);
        if (take == 0) {
            cut = Float.POSITIVE_INFINITY;
        } else {
            float[] v = new float[pos];
            int m = 0;
            for (int i = 0; i < n; i++) if (pre[i] > 0) v[m++] = pre[i];
            cut = kthLargest(v, (int) take);
        }
        long above = 0;
        for (int i = 0; i < n; i++) if (pre[i] > cut) above++;
        long tiesLeft = take - above;
        out.ensure(rows, (int) take);
        int at = 0;
        for (int b = 0; b < rows; b++) {
            out.start[b] = at;
            for (int j = 0; j < l; j++) {
                float x = pre[b * l + j];
                if (x > cut || (x == cut && tiesLeft-- > 0)) {
                    out.idx[at] = j;
                    out.val[at++] = x;
                }
            }
            out.len[b] = at - out.start[b];
        }
    }

    /** z = pre where pre > threshold[j] (inference of the batch-level architectures). */
    static void selectThreshold(Parallel par, float[] pre, int rows, SaeParams p, Codes out) {
        out.fillAbove(par, pre, rows, p.dSae, p.threshold);
    }

    /** The k-th largest of v (1-based), by in-place quickselect (Hoare partition, middle pivot). */
    static float kthLargest(float[] v, int k) {
        int lo = 0, hi = v.length - 1, target = k - 1;
        while (lo < hi) {
            float pivot = v[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j) {
                while (v[i] > pivot) i++;
                while (v[j] < pivot) j--;
                if (i <= j) {
                    float t = v[i];
                    v[i] = v[j];
                    v[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else return v[target];
        }
        return v[target];
    }
}
