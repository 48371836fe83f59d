// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

/**
 * A sparse vector: feature ids with their (positive) weights.
 *
 * @param ids     [nnz] feature ids (vocabulary ids, SAE latent ids), distinct
 * @param weights [nnz] weights, each > 0
 */
public record SparseVector(int[] ids, float[] weights) {
    public SparseVector {
        if (ids.length != weights.length) throw new IllegalArgumentException("ids " + ids.length + " != weights " + weights.length);
    }

    public int size() {
        return ids.length;
    }

    public static final SparseVector EMPTY = new SparseVector(new int[0], new float[0]);
}
