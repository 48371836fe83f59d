// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

/**
 * Int8 weights Q [N, K] in the panel layout of the dense GEMM ({@link PanelLayout}), one byte per
 * weight: panel q holds Qᵀ[0..K)[q·NR .. q·NR + NR) k-major, {@code packed[q·K·NR + p·NR + c] = Q[q·NR + c][p]},
 * zero where q·NR + c ≥ N, so the micro-kernel reads NR contiguous int8 weights per step p. The array
 * ends with {@link #PAD} zero bytes: a vector kernel may load a whole byte vector (up to 64 bytes) where
 * it needs fewer lanes at the last step.
 */
public final class Int8Panels {
    private Int8Panels() {}

    /** Zero bytes after the last panel. */
    public static final int PAD = 64;

    /** Length of the packed array for Q [n, k]. */
    public static long packedLength(int n, int k, int nr) {
        return PanelLayout.packedLength(n, k, nr) + PAD;
    }

    /**
     * Packs Q.
     *
     * @param q  [N, K] row-major (out, in)
     * @param nr panel width
     */
    public static byte[] pack(byte[] q, int n, int k, int nr) {
        long len = packedLength(n, k, nr);
        if (len > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("pack int8: [" + n + ", " + k + "] is too large");
        byte[] out = new byte[(int) len];
        for (int j = 0; j < n; j++) {
            int base = (j / nr) * k * nr + (j % nr);
            int row = j * k;
            for (int p = 0; p < k; p++) out[base + p * nr] = q[row + p];
        }
        return out;
    }

    /** Unpacks to Q [n, k] row-major. */
    public static byte[] unpack(byte[] packed, int n, int k, int nr) {
        byte[] q = new byte[n * k];
        for (int j = 0; j < n; j++) {
            int base = (j / nr) * k * nr + (j % nr);
            for (int p = 0; p < k; p++) q[j * k + p] = packed[base + p * nr];
        }
        return q;
    }
}
