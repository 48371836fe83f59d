// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.Int8Gemm;
import dev.lacuna.kernel.internal.Int8Panels;
import dev.lacuna.tensor.FloatTensor;

/**
 * A projection with int8 weights and fp32 activations (W8A32): {@link Int8Weight} Q, scales per output
 * channel, packed once into int8 panels for {@link Int8Gemm}, which widens them to fp32 inside the
 * micro-kernel. A quarter of the dense weight bytes; outputs are those of the dense GEMM on
 * diag(scale) · Q up to float rounding, deterministic and independent of the team's size.
 */
public final class Int8Linear implements Linear {
    private final int n;            // N, output features
    private final int k;            // K, input features
    private final float[] scales;   // [N]
    private final FloatTensor bias; // [N] or null
    private final int nr;           // panel width of packed
    private final byte[] packed;    // Q in int8 panels (Int8Panels)

    public Int8Linear(Int8Weight weight, FloatTensor bias) {
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.rows())) {
            throw new IllegalArgumentException("int8 linear bias " + bias.shapeString() + " does not match weight [" + weight.rows() + ", " + weight.cols() + "]");
        }
        this.n = weight.rows();
        this.k = weight.cols();
        this.scales = weight.scales().clone();
        this.bias = bias;
        this.nr = Int8Gemm.get().panelWidth();
        this.packed = Int8Panels.pack(weight.values(), n, k, nr);
    }

    /** Quantizes W [N, K] per output channel ({@link Int8Weight#quantize}). */
    public static Int8Linear quantize(FloatTensor weight, FloatTensor bias) {
        return new Int8Linear(Int8Weight.quantize(weight), bias);
    }

    @Override
    public int inFeatures() {
        return k;
    }

    @Override
    public int outFeatures() {
        return n;
    }

    @Override
    public void apply(Parallel par, float[] x, int tokens, float[] y) {
        apply(par, x, tokens, y, Epilogue.NONE);
    }

    @Override
    public void apply(Parallel par, float[] x, int tokens, float[] y, Epilogue epilogue) {
        if (tokens < 0) throw new IllegalArgumentException("int8 linear: negative tokens " + tokens);
        if (x.length < (long) tokens * k) throw new IllegalArgumentException("int8 linear: x has " + x.length + " values, [" + tokens + ", " + k + "] needs " + (long) tokens * k);
        if (y.length < (long) tokens * n) throw new IllegalArgumentException("int8 linear: y has " + y.length + " values, [" + tokens + ", " + n + "] needs " + (long) tokens * n);
        if (tokens == 0 || n == 0) return;
        Int8Gemm kern = Int8Gemm.get();
        kern.gemm(par, x, tokens, k, packed, nr, n, scales, bias == null ? null : bias.data(), y, epilogue == Epilogue.GELU);
    }

    /** Q and the scales, a fresh copy (what the model directory stores). */
    public Int8Weight int8() {
        return new Int8Weight(n, k, Int8Panels.unpack(packed, n, k, nr), scales.clone());
    }

    /** W' = diag(scale) · Q, dequantized into a fresh tensor. */
    @Override
    public FloatTensor weight() {
        return int8().dequantize();
    }

    @Override
    public FloatTensor bias() {
        return bias;
    }

    @Override
    public String kernel() {
        return "int8";
    }
}
