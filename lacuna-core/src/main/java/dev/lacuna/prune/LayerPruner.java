// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.concurrent.Parallel;

/** A one-shot, post-training pruning method for one projection. */
public interface LayerPruner {
    /** Prunes {@code task.weight()} to {@code task.sparsity()} under {@code task.pattern()}; the input is not modified. */
    PrunedLayer prune(Parallel par, LayerTask task);
}
