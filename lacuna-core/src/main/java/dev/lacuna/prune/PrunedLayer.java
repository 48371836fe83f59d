// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

/**
 * A pruned projection.
 *
 * @param mask   which weights are kept [N, K]
 * @param weight the new W' [N, K], zero wherever the mask prunes (SparseGPT also changes kept weights)
 */
public record PrunedLayer(Mask mask, float[] weight) {
    public PrunedLayer {
        if (weight.length != mask.size()) throw new IllegalArgumentException("weight has " + weight.length + " values, mask has " + mask.size());
    }
}
