// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.sparse.MaskSelection;

import java.util.SplittableRandom;

/** Random pruning: uniform random scores from the task's seed; a baseline (Liu et al. 2022). */
public final class RandomPruner implements LayerPruner {
    @Override
    public PrunedLayer prune(Parallel par, LayerTask t) {
        SplittableRandom rnd = new SplittableRandom(t.seed());
        double[] s = new double[t.weight().length];
        for (int i = 0; i < s.length; i++) s[i] = rnd.nextDouble();
        Mask m = Mask.of(MaskSelection.select(s, t.rows(), t.cols(), t.pattern(), t.sparsity(), MaskSelection.Group.LAYER), t.rows(), t.cols());
        return new PrunedLayer(m, m.apply(t.weight()));
    }
}
