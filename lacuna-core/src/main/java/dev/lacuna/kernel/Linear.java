// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.tensor.FloatTensor;

/**
 * The weight seam: one projection y = x · Wᵀ + b of the model. Dense now; sparse formats implement
 * the same interface, and pruning swaps a layer's {@code Linear} without touching the model.
 */
public interface Linear {
    /** K, the input width. */
    int inFeatures();

    /** N, the output width. */
    int outFeatures();

    /**
     * y[tokens, N] = x[tokens, K] · Wᵀ + b.
     *
     * @param x [tokens, K] row-major
     * @param y [tokens, N] row-major, overwritten
     */
    void apply(Parallel par, float[] x, int tokens, float[] y);

    /**
     * {@link #apply(Parallel, float[], int, float[])} followed by {@code epilogue} on every output;
     * implementations may fuse the two (the dense GEMM applies GELU while the tile is in registers).
     */
    default void apply(Parallel par, float[] x, int tokens, float[] y, Epilogue epilogue) {
        apply(par, x, tokens, y);
        if (epilogue == Epilogue.GELU) Ops.gelu(par, y, tokens * outFeatures());
    }

    /** The weight as a dense tensor W [N, K] (zeros where pruned). */
    FloatTensor weight();

    /** The bias [N], or null. */
    FloatTensor bias();

    /** A short name of the kernel, e.g. {@code dense}. */
    String kernel();
}
