// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.sparse.MaskSelection;

/** Magnitude pruning: score = |W|, compared across the whole layer. Needs no calibration. */
public final class MagnitudePruner implements LayerPruner {
    @Override
    public PrunedLayer prune(Parallel par, LayerTask t) {
        Mask m = Mask.of(MaskSelection.byMagnitude(t.weight(), t.rows(), t.cols(), t.pattern(), t.sparsity()), t.rows(), t.cols());
        return new PrunedLayer(m, m.apply(t.weight()));
    }
}
