// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

/**
 * Exact per-query selection, the quality reference of the dynamic methods: every score of a query is
 * computed, then softmax and values run over its k highest keys ({@code topk}) or over the smallest
 * set of keys holding a fraction p of its softmax mass ({@code topp}, RTPurbo's dynamic budget).
 * Costs more than dense attention; it answers how good a selection of that size can be.
 */
public final class TopKAttention extends AbstractKernel {
    private static final int ROWS = 16;

    private final int k;
    private final double p;
    private final boolean causal;

    private TopKAttention(int k, double p, boolean causal) {
        this.k = k;
        this.p = p;
        this.causal = causal;
    }

    /** The k highest-scoring keys of each query (all keys when k >= N). */
    public static TopKAttention topK(int k, boolean causal) {
        if (k <= 0) throw new IllegalArgumentException("k must be > 0, got " + k);
        return new TopKAttention(k, Double.NaN, causal);
    }

    /** The smallest set of keys holding at least p of each query's softmax mass (all keys when p = 1). */
    public static TopKAttention topP(double p, boolean causal) {
        if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("p must be in (0, 1], got " + p);
        return new TopKAttention(0, p, causal);
    }

    @Override
    public String name() {
        return Double.isNaN(p) ? "topk" : "topp";
    }

    @Override
    public long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                           int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        Workspace ws = Workspace.get();
        FlashEngine e = ws.engine;
        e.begin(q, k, v, out, stride, start, length, col, headDim, scale, ROWS, FlashAttention.TILE);
        int ld = VectorMath.roundUp(length, 2 * VectorMath.L);
        float[] scores = ws.floats(0, ROWS * ld);
        float[] tmp = ws.floats(1, ld + 2 * VectorMath.L);
        int[] idx = ws.ints(0, length);
        for (int i0 = rowFrom; i0 < rowTo; i0 += ROWS) {
            int rows = Math.min(ROWS, rowTo - i0);
            e.beginTile(i0, rows);
            e.rowScores(0, ld, scores, ld);
            for (int r = 0; r < rows; r++) {
                int lim = causal ? i0 + r + 1 : length;
                int c = Double.isNaN(p) ? Selection.topK(scores, r * ld, lim, this.k, idx, tmp)
                        : Selection.topP(scores, r * ld, lim, p, idx, tmp);
                e.selected(r, scores, r * ld, 0, idx, c);
            }
            e.endTile(lse);
        }
        return e.kept();
    }
}
