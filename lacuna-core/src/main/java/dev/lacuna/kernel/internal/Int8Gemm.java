// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import dev.lacuna.concurrent.Parallel;

/**
 * The W8A32 GEMM y[M, N] = epilogue((x[M, K] · Qᵀ) · diag(scale) + bias), Q [N, K] int8 weights with
 * one fp32 scale per output channel, in two implementations: {@link ScalarInt8Gemm} (the plain-loop
 * reference) and {@link VectorInt8Gemm} (int8 panels widened to fp32 in registers). Picked once by
 * {@link KernelProvider}, as the dense kernels are.
 *
 * <p>Both compute every output as one fused multiply-add chain of x·q over p = 0..K-1 from +0, then
 * acc·scale (+ bias, fused): without GELU the two agree bit for bit, and with the thread count (each
 * element is computed whole by one thread). With GELU they differ by the vector GELU's error (below 1e-6).
 */
public interface Int8Gemm {
    /** The implementation in use. */
    static Int8Gemm get() {
        return Chosen.INSTANCE;
    }

    /** The scalar reference. */
    static Int8Gemm scalar() {
        return ScalarInt8Gemm.INSTANCE;
    }

    /** The Vector API implementation, or null where it is unavailable. */
    static Int8Gemm vector() {
        return Vector.INSTANCE;
    }

    /** Picked once; loads the Vector API only when used. */
    final class Chosen {
        private Chosen() {}

        static final Int8Gemm INSTANCE = KernelProvider.choose(ScalarInt8Gemm.INSTANCE, Int8Gemm::vector);
    }

    /** Loaded on first use only (never when the scalar one is forced). */
    final class Vector {
        private Vector() {}

        static final Int8Gemm INSTANCE = KernelProvider.loadVector("int8 kernels", () -> VectorInt8Gemm.INSTANCE);
    }

    /** A short name, e.g. {@code scalar} or {@code vector-256}. */
    String name();

    /** NR, the panel width Q must be packed with ({@link Int8Panels#pack}). */
    int panelWidth();

    /**
     * y[m, n] = epilogue(Σ_p x[i, p]·q[j, p] · scale[j] + bias[j]). Implementations trust their input.
     *
     * @param x     [M, K] row-major activations
     * @param m     M, rows of x and y (≥ 1)
     * @param k     K, input features
     * @param w     Q packed by {@link Int8Panels#pack} with panel width {@code nr}
     * @param nr    panel width Q was packed with
     * @param n     N, output features
     * @param scale [N] per-channel scales
     * @param bias  [N], or null
     * @param y     [M, N] row-major, overwritten
     * @param gelu  whether to apply exact GELU after the bias
     */
    void gemm(Parallel par, float[] x, int m, int k, byte[] w, int nr, int n, float[] scale, float[] bias, float[] y, boolean gelu);
}
