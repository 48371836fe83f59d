// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.kernel.PackedMatrix;

/**
 * Scratch buffers that a training pass reuses from step to step instead of allocating them (tens of
 * MB per step for a small BERT, which then cost page faults and collections). Each slot is a
 * growable float array whose contents are undefined when handed out; plus one packed matrix of
 * activations for the weight gradients. Used by one pass at a time: {@link BertTraining} hands its
 * one workspace to whichever call takes it first, and others get a fresh one.
 */
final class Workspace {
    /** Slots of the backward: the residual stream's gradient and the temporaries of one layer. */
    static final int DX = 0, DH = 1, TMP = 2, DQ = 3, DK = 4, DV = 5, DA = 6,
    /** Slots of {@link LinearOp#backward}: dyᵀ [N, T] and the product dyᵀ · x [N, K]. */
            DY_T = 7, PRODUCT = 8;
    private static final int SLOTS = 9;

    private final float[][] bufs = new float[SLOTS][];
    /** xᵀ packed, the GEMM operand of dW = dyᵀ · x; its storage is reused by the next pack. */
    PackedMatrix packed;
    /**
     * The x [T, K] that {@link #packed} holds, so that projections of one input (query, key, value)
     * pack it once; null when none. Cleared by {@link #forgetPacked} whenever an array may have
     * changed since (each backward starts so).
     */
    float[] packedFrom;
    int packedRows;

    void forgetPacked() {
        packedFrom = null;
    }

    /** A buffer of at least {@code n} floats in {@code slot}, contents undefined. */
    float[] floats(int slot, int n) {
        float[] b = bufs[slot];
        if (b == null || b.length < n) bufs[slot] = b = new float[n];
        return b;
    }
}
