// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.sparse.MaskSelection;

/**
 * Wanda (Sun et al. 2023, "A Simple and Effective Pruning Approach for Large Language Models", eq. 1):
 * score S_ij = |W_ij| · ||X_j||₂ over the calibration tokens; for unstructured sparsity weights are
 * compared within each output row (section 3, "comparison group"). No weight update.
 */
public final class WandaPruner implements LayerPruner {
    @Override
    public PrunedLayer prune(Parallel par, LayerTask t) {
        double[] s = scores(t.weight(), t.rows(), t.cols(), t.requireStats("wanda"));
        Mask m = Mask.of(MaskSelection.select(s, t.rows(), t.cols(), t.pattern(), t.sparsity(), MaskSelection.Group.ROW), t.rows(), t.cols());
        return new PrunedLayer(m, m.apply(t.weight()));
    }

    /** S [N, K] = |W| · ||X_j||₂. */
    static double[] scores(float[] w, int n, int k, InputStats stats) {
        double[] norm = new double[k];
        double[] sq = stats.squaredNorms();
        for (int j = 0; j < k; j++) norm[j] = Math.sqrt(sq[j]);
        double[] s = new double[w.length];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) s[r * k + j] = Math.abs(w[r * k + j]) * norm[j];
        }
        return s;
    }
}
