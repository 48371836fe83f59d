// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;

import static dev.lacuna.attention.VectorMath.L;
import static dev.lacuna.attention.VectorMath.S;

/**
 * Block top-k: per query block, estimate each key block's share of the attention mass from pooled
 * statistics, keep the best key blocks (a fixed number, or until the estimated mass reaches a
 * threshold) and run exact flash attention over them.
 *
 * <p>Estimators: {@code mean} pools both sides (mean query of the block · mean key of each key block,
 * MInference's block-sparse estimate, Jiang et al., 2024); {@code query} pools only the queries and
 * scores every key, then takes each key block's log-sum-exp, which catches single dominant keys (sinks)
 * that a mean key dilutes, at N·D/B multiply-adds per query block (1/B of dense QKᵀ). The threshold
 * rule follows XAttention's cumulative-mass block selection (Xu et al., 2025).
 */
public final class BlockTopKAttention extends AbstractKernel {
    /** How key blocks are scored. */
    public enum Estimator { QUERY, MEAN }

    private final int block;
    private final int k;
    private final double mass;
    private final int local;
    private final boolean sink;
    private final boolean causal;
    private final Estimator estimator;

    /**
     * @param block     query and key block size, a multiple of 32
     * @param k         key blocks kept per query block; 0 to keep blocks until {@code mass} is reached
     * @param mass      estimated softmax mass to reach, in (0, 1]
     * @param local     key blocks on each side of the query block that are always kept (-1: none)
     * @param sink      always keep the first key block
     */
    public BlockTopKAttention(int block, int k, double mass, int local, boolean sink, boolean causal, Estimator estimator) {
        this.block = block;
        this.k = k;
        this.mass = mass;
        this.local = local;
        this.sink = sink;
        this.causal = causal;
        this.estimator = estimator;
    }

    @Override
    public String name() {
        return "block-topk";
    }

    @Override
    public long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                           int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        Workspace ws = Workspace.get();
        FlashEngine e = ws.engine;
        KeyRanges kr = ws.ranges;
        e.begin(q, k, v, out, stride, start, length, col, headDim, scale, block, block);
        int d = headDim, nb = (length + block - 1) / block;
        int ld = VectorMath.roundUp(length, 2 * L);
        float[] srow = ws.floats(0, ld);
        float[] blse = ws.floats(1, nb);
        float[] qbar = ws.floats(2, d);
        float[] kbar = estimator == Estimator.MEAN ? meanKeys(e, ws, nb) : null;
        long[] order = new long[nb];
        boolean[] keep = new boolean[nb];
        for (int i0 = rowFrom; i0 < rowTo; i0 += block) {
            int rows = Math.min(block, rowTo - i0);
            e.beginTile(i0, rows);
            float[] qs = e.tileQueries();
            Arrays.fill(qbar, 0, d, 0f);
            for (int r = 0; r < rows; r++) for (int dd = 0; dd < d; dd++) qbar[dd] += qs[r * d + dd];
            for (int dd = 0; dd < d; dd++) qbar[dd] /= rows;
            if (estimator == Estimator.QUERY) {
                e.vectorScores(qbar, 0, ld, srow, 0);
                for (int b = 0; b < nb; b++) blse[b] = log2SumExp2(srow, b * block, Math.min(length, (b + 1) * block));
            } else {
                for (int b = 0; b < nb; b++) {
                    float s = 0;
                    for (int dd = 0; dd < d; dd++) s += qbar[dd] * kbar[b * d + dd];
                    blse[b] = s + (float) (Math.log(Math.min(length, (b + 1) * block) - b * block) / Math.log(2));
                }
            }
            int last = i0 + rows - 1;
            int usable = causal ? last / block + 1 : nb;
            choose(blse, usable, order, keep, i0 / block, last / block);
            kr.clear();
            for (int b = 0; b < usable; b++) if (keep[b]) kr.add(b * block, (b + 1) * block, true, length);
            kr.normalize();
            e.keys(kr, null, causal);
            e.endTile(lse);
        }
        return e.kept();
    }

    /** Marks in keep[0, usable) the key blocks to attend for query blocks [qb0, qb1]. */
    private void choose(float[] blse, int usable, long[] order, boolean[] keep, int qb0, int qb1) {
        Arrays.fill(keep, 0, usable, false);
        if (local >= 0) for (int b = Math.max(0, qb0 - local); b <= Math.min(usable - 1, qb1 + local); b++) keep[b] = true;
        if (sink) keep[0] = true;
        float mx = Float.NEGATIVE_INFINITY;
        for (int b = 0; b < usable; b++) mx = Math.max(mx, blse[b]);
        double z = 0;
        for (int b = 0; b < usable; b++) {
            order[b] = ((long) sortable(blse[b]) << 32) | b;
            z += Math.pow(2, blse[b] - mx);
        }
        Arrays.sort(order, 0, usable);
        double got = 0;
        int taken = 0;
        for (int x = usable - 1; x >= 0; x--) {
            int b = (int) order[x];
            if (k > 0 ? taken >= k : got >= mass * z) break;
            keep[b] = true;
            taken++;
            got += Math.pow(2, blse[b] - mx);
        }
    }

    /** Float bits reordered so that signed int order is float order. */
    private static int sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** log2 Σ 2^s[j] over j in [from, to). */
    static float log2SumExp2(float[] s, int from, int to) {
        float mx = Float.NEGATIVE_INFINITY;
        int j = from;
        if (to - from >= L) {
            FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (; j <= to - L; j += L) m = m.max(FloatVector.fromArray(S, s, j));
            mx = m.reduceLanes(VectorOperators.MAX);
        }
        for (; j < to; j++) mx = Math.max(mx, s[j]);
        if (mx == Float.NEGATIVE_INFINITY) return mx;
        float sum = 0;
        j = from;
        if (to - from >= L) {
            FloatVector acc = FloatVector.zero(S), mv = FloatVector.broadcast(S, mx);
            for (; j <= to - L; j += L) acc = acc.add(VectorMath.exp2(FloatVector.fromArray(S, s, j).sub(mv)));
            sum = VectorMath.sumLanes(acc);
        }
        for (; j < to; j++) sum += VectorMath.exp2(s[j] - mx);
        return mx + (float) (Math.log(sum) / Math.log(2));
    }

    /** Mean key of each key block [nb, D], from the engine's transposed keys. */
    private float[] meanKeys(FlashEngine e, Workspace ws, int nb) {
        int d = e.headDim(), n = e.length(), ldk = e.ldk();
        float[] kt = e.keysTransposed();
        float[] kb = ws.floats(3, nb * d);
        for (int b = 0; b < nb; b++) {
            int j0 = b * block, j1 = Math.min(n, j0 + block);
            for (int dd = 0; dd < d; dd++) {
                float s = 0;
                for (int j = j0; j < j1; j++) s += kt[dd * ldk + j];
                kb[b * d + dd] = s / (j1 - j0);
            }
        }
        return kb;
    }
}
