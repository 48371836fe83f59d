// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.sparse.SparsityPattern;

/**
 * One projection to prune.
 *
 * @param name     Hugging Face name, e.g. {@code encoder.layer.3.intermediate.dense}
 * @param weight   W [N, K] row-major; read, never modified
 * @param rows     N, the output features
 * @param cols     K, the input features
 * @param stats    statistics of the layer's input over the calibration tokens, or null without calibration
 * @param sparsity fraction of weights to prune, in [0, 1) (implied by the pattern for N:M)
 * @param pattern  where zeros may sit
 * @param seed     seed of any random choice, already specific to this layer
 */
public record LayerTask(String name, float[] weight, int rows, int cols, InputStats stats, double sparsity,
                        SparsityPattern pattern, long seed) {
    public LayerTask {
        if (weight.length != (long) rows * cols) {
            throw new IllegalArgumentException(name + ": weight has " + weight.length + " values, [" + rows + ", " + cols + "] needs " + (long) rows * cols);
        }
        if (stats != null && stats.features() != cols) {
            throw new IllegalArgumentException(name + ": input statistics have " + stats.features() + " features, layer has " + cols + " inputs");
        }
        if (!(sparsity >= 0 && sparsity < 1)) throw new IllegalArgumentException(name + ": sparsity must be in [0,1), got " + sparsity);
    }

    /** The statistics, or an error naming the layer and the method that needs them. */
    InputStats requireStats(String method) {
        if (stats == null) throw new dev.lacuna.LacunaException(method + " needs calibration data to prune " + name);
        return stats;
    }
}
