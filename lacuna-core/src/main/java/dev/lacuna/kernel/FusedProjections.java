// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.concurrent.Parallel;

/**
 * Dense projections of equal shape that read the same input (Q, K and V), run as one GEMM on their
 * concatenated weight [P·N, K] with the output split back into P matrices [tokens, N]
 * ({@link Gemm#matmulSplit}): one hand-off to the team and one pass of x per row block instead of P,
 * and P times the panels for the threads to share at small token counts. The same values as applying
 * each projection on its own (each output element is the same chain). The concatenated weight is a
 * packed copy beside the projections' own (P·N·K floats more).
 */
public final class FusedProjections {
    private final PackedMatrix packed;  // [P·N, K]
    private final float[] bias;         // [P·N], or null when the projections have none (all have one or none)
    private final int parts;

    private FusedProjections(PackedMatrix packed, float[] bias, int parts) {
        this.packed = packed;
        this.bias = bias;
        this.parts = parts;
    }

    /** The fusion of {@code ls}, or null unless every one is a {@link DenseLinear} of the same shape, all with a bias or none. */
    public static FusedProjections of(Linear... ls) {
        if (ls.length < 2) return null;
        int n = ls[0].outFeatures(), k = ls[0].inFeatures();
        boolean anyBias = ls[0].bias() != null;
        for (Linear l : ls) {
            if (!(l instanceof DenseLinear) || l.outFeatures() != n || l.inFeatures() != k || (l.bias() != null) != anyBias) return null;
        }
        float[] w = new float[ls.length * n * k];
        float[] b = anyBias ? new float[ls.length * n] : null;
        for (int s = 0; s < ls.length; s++) {
            System.arraycopy(ls[s].weight().data(), 0, w, s * n * k, n * k);
            if (b != null) System.arraycopy(ls[s].bias().data(), 0, b, s * n, n);
        }
        return new FusedProjections(Gemm.pack(w, ls.length * n, k), b, ls.length);
    }

    /** ys[s][tokens, N] = x[tokens, K] · W_sᵀ + b_s for each of the projections, in the order given to {@link #of}. */
    public void apply(Parallel par, float[] x, int tokens, float[]... ys) {
        if (ys.length != parts) throw new IllegalArgumentException("fused projections: " + parts + " outputs, got " + ys.length);
        Gemm.matmulSplit(par, x, tokens, packed, bias, ys);
    }
}
