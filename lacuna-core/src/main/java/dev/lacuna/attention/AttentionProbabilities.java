// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.LacunaException;

/**
 * The dense attention probability map of one head of one short sequence, computed with the flash
 * kernel's score tiles (for inspection and pattern classification, not for inference).
 */
public final class AttentionProbabilities {
    /** Largest sequence {@link #of} accepts: the map is [N, N]. */
    public static final int MAX_LENGTH = 4096;

    private AttentionProbabilities() {}

    /**
     * p[i * n + j] = softmax_j(scale q_i·k_j) for one head of one sequence (arguments as in
     * {@link AttentionKernel#attend}); n <= {@link #MAX_LENGTH}.
     */
    public static float[] of(float[] q, float[] k, int stride, int start, int n, int col, int d, float scale) {
        if (n > MAX_LENGTH) throw new LacunaException("attention map of " + n + " tokens exceeds " + MAX_LENGTH);
        FlashEngine e = Workspace.get().engine;
        e.begin(q, k, k, new float[0], stride, start, n, col, d, scale, 16, FlashAttention.TILE);
        int ld = VectorMath.roundUp(n, 2 * VectorMath.L);
        float[] rows = new float[16 * ld];
        float[] p = new float[n * n];
        for (int i0 = 0; i0 < n; i0 += 16) {
            int r = Math.min(16, n - i0);
            e.beginTile(i0, r);
            e.rowScores(0, ld, rows, ld);
            for (int x = 0; x < r; x++) {
                float mx = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) mx = Math.max(mx, rows[x * ld + j]);
                double z = 0;
                for (int j = 0; j < n; j++) z += Math.pow(2, rows[x * ld + j] - mx);
                for (int j = 0; j < n; j++) p[(i0 + x) * n + j] = (float) (Math.pow(2, rows[x * ld + j] - mx) / z);
            }
        }
        return p;
    }
}
