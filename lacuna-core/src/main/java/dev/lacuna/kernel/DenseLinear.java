// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.tensor.FloatTensor;

/** A dense projection computed by the blocked GEMM on a pre-packed weight. */
public final class DenseLinear implements Linear {
    private final FloatTensor weight; // W [N, K]
    private final FloatTensor bias;   // b [N] or null
    private final PackedMatrix packed;

    public DenseLinear(FloatTensor weight, FloatTensor bias) {
        if (weight.rank() != 2) throw new IllegalArgumentException("linear weight must be [out, in], got " + weight.shapeString());
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0))) {
            throw new IllegalArgumentException("linear bias " + bias.shapeString() + " does not match weight " + weight.shapeString());
        }
        this.weight = weight;
        this.bias = bias;
        this.packed = Gemm.pack(weight.data(), weight.dim(0), weight.dim(1));
    }

    @Override
    public int inFeatures() {
        return weight.dim(1);
    }

    @Override
    public int outFeatures() {
        return weight.dim(0);
    }

    @Override
    public void apply(Parallel par, float[] x, int tokens, float[] y) {
        Gemm.matmul(par, x, tokens, packed, bias == null ? null : bias.data(), y);
    }

    @Override
    public void apply(Parallel par, float[] x, int tokens, float[] y, Epilogue epilogue) {
        Gemm.matmul(par, x, tokens, packed, bias == null ? null : bias.data(), y, epilogue);
    }

    @Override
    public FloatTensor weight() {
        return weight;
    }

    @Override
    public FloatTensor bias() {
        return bias;
    }

    @Override
    public String kernel() {
        return "dense";
    }
}
