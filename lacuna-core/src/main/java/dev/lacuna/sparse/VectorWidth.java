// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

/**
 * Lanes and token tile of the Vector API kernels, without loading the Vector API (for the cost
 * model, which must work with the scalar fallback too): 16 floats where the CPU has 512-bit vectors.
 */
final class VectorWidth {
    private VectorWidth() {}

    static final int L = lanes();
    /** Tokens per tile of the sparse kernels. */
    static final int TILE = 4 * L;

    private static int lanes() {
        SparseProducts v = SparseProducts.vector();
        return v == null ? 16 : VectorSparseProducts.L;
    }
}
