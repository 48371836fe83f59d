// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

/**
 * Exact attention by tiles with an online softmax: query tiles x key tiles, scores vectorised across
 * keys, running max and sum, rescaled accumulators. Never materialises the [N, N] matrix; memory
 * O(N * D) per thread (this head's keys, transposed). Bidirectional, or causal (keys j <= i).
 * Bidirectional sequences of at most {@link QueryLanes#MAX_LENGTH} tokens run on {@link QueryLanes}
 * instead (queries in the vector lanes, the softmax exact in one pass) where the CPU has 32 vector registers.
 *
 * <p>Dao et al., FlashAttention (2022), Algorithm 1. Validated against {@link DenseAttention}.
 */
public final class FlashAttention extends AbstractKernel {
    /** The default tile: 64 queries x 64 keys. */
    public static final int TILE = 64;

    private final boolean causal;
    private final int tile;

    /** Bidirectional, 64 x 64 tiles. */
    public FlashAttention() {
        this(false, TILE);
    }

    /**
     * @param causal keep only keys j <= i
     * @param tile   query and key tile size, a multiple of 32
     */
    public FlashAttention(boolean causal, int tile) {
        if (tile < 32 || tile % 32 != 0 || tile > 1024) {
            throw new IllegalArgumentException("tile must be a multiple of 32 in [32, 1024], got " + tile);
        }
        this.causal = causal;
        this.tile = tile;
    }

    public boolean causal() {
        return causal;
    }

    @Override
    public String name() {
        return "dense";
    }

    @Override
    public long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                           int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        if (!causal && QueryLanes.takes(length)) {
            return Workspace.get().lanes.attendRows(q, k, v, out, stride, start, length, col, headDim, scale, rowFrom, rowTo, lse);
        }
        return flashRows(q, k, v, out, stride, start, length, col, headDim, scale, rowFrom, rowTo, lse);
    }

    /** The same rows by the flash engine alone (what every length past {@link QueryLanes#MAX_LENGTH}, and causal attention, run). */
    long flashRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                   int headDim, float scale, int rowFrom, int rowTo, float[] lse) {
        FlashEngine e = Workspace.get().engine;
        e.begin(q, k, v, out, stride, start, length, col, headDim, scale, tile, tile);
        for (int i0 = rowFrom; i0 < rowTo; i0 += tile) {
            int rows = Math.min(tile, rowTo - i0);
            e.beginTile(i0, rows);
            int end = causal ? i0 + rows : length;
            for (int j0 = 0; j0 < end; j0 += tile) e.keyRange(j0, Math.min(tile, end - j0), null, causal, null);
            e.endTile(lse);
        }
        return e.kept();
    }
}
