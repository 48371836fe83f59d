// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static dev.lacuna.attention.VectorMath.L;
import static dev.lacuna.attention.VectorMath.S;

/**
 * AdaSpa (Xia et al., 2025, "Training-free and Adaptive Sparse Attention for Efficient Long Video
 * Generation"): a blockified pattern found by an online precise search, head-adaptive.
 *
 * <p>Per query block of B rows:
 * <ol>
 * <li><b>Search, fused with the LSE.</b> Each row's scores against every key are computed once; from
 *     them the row's exact log-sum-exp (the softmax normaliser) and, with that LSE cached, the exact
 *     attention probability mass the row puts on every key block, Σ_{j in block} exp(s_j - lse). The
 *     block's mass for the query block is the mean over its rows. This is the paper's "precise" search:
 *     exact probabilities, not a pooled estimate such as {@link BlockTopKAttention}'s.</li>
 * <li><b>Head-adaptive selection.</b> Key blocks, largest mass first (ties: lower block index first),
 *     until their mass reaches {@code mass}: a concentrated head keeps few blocks, a diffuse one many,
 *     with one target for all heads.</li>
 * <li><b>Block-sparse attention</b> over the chosen key blocks (flash, renormalised over them).</li>
 * </ol>
 *
 * <p>Left out, and why: AdaSpa amortises its search over denoising steps (the pattern and LSE are
 * invariant across steps, so it searches once and reuses the indices for the following steps). An
 * encoder runs one step per input, so here every forward pass pays its own search: the whole of QKᵀ
 * plus an exp per pair, which at encoder lengths costs more than the block-sparse pass saves (its cost
 * model counts it as exact scores). The paper's hierarchy between modalities (text and video tokens)
 * has no counterpart in a text encoder either. What remains is its pattern and its search.
 *
 * <p>Shapes: N keys, D head dim, B block; scores [N] per row, block masses [ceil(N / B)] per query block.
 */
public final class AdaSpaAttention extends AbstractKernel {
    private final int block;
    private final double mass;
    private final boolean causal;

    /**
     * @param block query and key block size, a multiple of 32
     * @param mass  attention mass the chosen key blocks must reach per query block, in (0, 1]
     */
    public AdaSpaAttention(int block, double mass, boolean causal) {
        this.block = block;
        this.mass = mass;
        this.causal = causal;
    }

    @Override
    public String name() {
        return "adaspa";
    }

    @Override
    public long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                           int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        Workspace ws = Workspace.get();
        FlashEngine e = ws.engine;
        KeyRanges kr = ws.ranges;
        e.begin(q, k, v, out, stride, start, length, col, headDim, scale, block, block);
        int d = headDim, nb = (length + block - 1) / block;
        float[] srow = ws.floats(0, VectorMath.roundUp(length, 2 * L));
        double[] blockMass = new double[nb];
        boolean[] keep = new boolean[nb];
        for (int i0 = rowFrom; i0 < rowTo; i0 += block) {
            int rows = Math.min(block, rowTo - i0);
            e.beginTile(i0, rows);
            float[] qs = e.tileQueries();
            Arrays.fill(blockMass, 0);
            int usable = causal ? (i0 + rows - 1) / block + 1 : nb;
            for (int r = 0; r < rows; r++) {
                int visible = causal ? i0 + r + 1 : length;
                e.vectorScores(qs, r * d, VectorMath.roundUp(visible, 2 * L), srow, 0);   // log2-domain scores
                float rowLse = BlockTopKAttention.log2SumExp2(srow, 0, visible);
                for (int b = 0; b * block < visible; b++) {
                    blockMass[b] += sumExp2(srow, b * block, Math.min(visible, (b + 1) * block), rowLse);
                }
            }
            for (int b = 0; b < usable; b++) blockMass[b] /= rows;
            choose(blockMass, usable, mass, keep);
            kr.clear();
            for (int b = 0; b < usable; b++) if (keep[b]) kr.add(b * block, (b + 1) * block, true, length);
            kr.normalize();
            e.keys(kr, null, causal);
            e.endTile(lse);
        }
        return e.kept();
    }

    /**
     * Marks in keep[0, usable) the fewest key blocks, largest mass first (ties: lower index first),
     * whose masses sum to at least {@code target} (of a total of 1); at least one block.
     */
    static void choose(double[] blockMass, int usable, double target, boolean[] keep) {
        Arrays.fill(keep, 0, usable, false);
        Integer[] order = new Integer[usable];
        for (int b = 0; b < usable; b++) order[b] = b;
        Arrays.sort(order, (x, y) -> blockMass[x] != blockMass[y] ? Double.compare(blockMass[y], blockMass[x]) : Integer.compare(x, y));
        double got = 0;
        for (int x = 0; x < usable && (x == 0 || got < target); x++) {
            keep[order[x]] = true;
            got += blockMass[order[x]];
        }
    }

    /** Σ 2^(s[j] - lse) over j in [from, to): the probability mass of those keys given the row's log2 LSE. */
    private static double sumExp2(float[] s, int from, int to, float lse) {
        int j = from;
        float sum = 0;
        if (to - from >= L) {
            FloatVector acc = FloatVector.zero(S), m = FloatVector.broadcast(S, lse);
            for (; j <= to - L; j += L) acc = acc.add(VectorMath.exp2(FloatVector.fromArray(S, s, j).sub(m)));
            sum = VectorMath.sumLanes(acc);
        }
        for (; j < to; j++) sum += VectorMath.exp2(s[j] - lse);
        return sum;
    }
}
