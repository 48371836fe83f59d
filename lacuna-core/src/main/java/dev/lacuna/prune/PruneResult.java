// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.model.bert.BertModel;
import dev.lacuna.tensor.FloatTensor;

import java.util.List;
import java.util.Map;

/**
 * The output of one-shot pruning.
 *
 * @param model        the pruned model: every pruned projection is a {@code DenseLinear} over W' (zeros where pruned)
 * @param layers       one report per (step, projection), in the order they were pruned
 * @param masks        final mask of every pruned projection, by name, in forward order
 * @param recipe       the recipe applied
 * @param calibrationSequences how many calibration sequences were used
 * @param calibrationTokens    how many calibration tokens were used
 */
public record PruneResult(BertModel model, List<LayerReport> layers, Map<String, Mask> masks, Recipe recipe,
                          int calibrationSequences, long calibrationTokens) {
    public PruneResult {
        layers = List.copyOf(layers);
        masks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(masks));
    }

    /** W' [N, K] of a pruned projection (a view of the model's tensor: do not modify). */
    public FloatTensor weight(String name) {
        if (!masks.containsKey(name)) throw new IllegalArgumentException(name + " was not pruned");
        return model.linears().get(name).weight();
    }

    /** Fraction of pruned weights over all pruned projections. */
    public double sparsity() {
        long zeros = 0, total = 0;
        for (Mask m : masks.values()) {
            zeros += m.prunedCount();
            total += m.size();
        }
        return total == 0 ? 0 : (double) zeros / total;
    }
}
