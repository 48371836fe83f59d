// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

/**
 * BLASST (2025): flash attention that skips, per query row and key tile, the softmax and the value
 * product when the tile's highest score is below the row's running max by more than ln(1/threshold),
 * i.e. when every weight of the tile is below {@code threshold} x the largest weight seen so far.
 * Scores (q·kᵀ) are still computed. Threshold 0 never skips: exact dense attention.
 *
 * <p>The paper finds the best threshold inversely proportional to the context length, so the
 * default is {@code threshold = c / N}. Tiles are visited sink first, then the diagonal, then the
 * rest, so the running max is near its final value early and more tiles are skipped.
 */
public final class BlasstAttention extends AbstractKernel {
    private final double threshold;
    private final double perLength;
    private final int tile;

    /**
     * @param threshold a fixed threshold in [0, 1), or NaN to use {@code perLength / N}
     * @param perLength c of the length-scaled threshold c / N
     */
    public BlasstAttention(double threshold, double perLength, int tile) {
        this.threshold = threshold;
        this.perLength = perLength;
        this.tile = tile;
    }

    @Override
    public String name() {
        return "blasst";
    }

    /** The threshold used for a sequence of n tokens. */
    public double threshold(int n) {
        return Double.isNaN(threshold) ? Math.min(0.5, perLength / n) : threshold;
    }

    @Override
    public long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                           int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        FlashEngine e = Workspace.get().engine;
        e.begin(q, k, v, out, stride, start, length, col, headDim, scale, tile, tile);
        double t = threshold(length);
        e.skipLog2 = t <= 0 ? Float.POSITIVE_INFINITY : (float) (-Math.log(t) / Math.log(2));
        int blocks = (length + tile - 1) / tile;
        for (int i0 = rowFrom; i0 < rowTo; i0 += tile) {
            int rows = Math.min(tile, rowTo - i0);
            e.beginTile(i0, rows);
            int diag = i0 / tile;
            fold(e, 0, length);
            if (diag != 0) fold(e, diag, length);
            for (int b = 0; b < blocks; b++) if (b != 0 && b != diag) fold(e, b, length);
            e.endTile(lse);
        }
        return e.kept();
    }

    private void fold(FlashEngine e, int b, int length) {
        int j0 = b * tile;
        e.keyRange(j0, Math.min(tile, length - j0), null, false, null);
    }
}
