// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;

/**
 * MInference's dynamic vertical-slash pattern (Jiang et al., 2024, section 3.2): a few sampled
 * queries are scored against every key; the columns (vertical stripes) and diagonals (slashes,
 * offset j - i) that collect the most of their attention mass are kept for all queries, and the
 * resulting pattern runs on the block-sparse kernel. Slashes are block-granular
 * ({@link StaticMasks.BlockDiagonals}): each query tile attends whole key tiles along the chosen
 * offsets, as MInference's kernel does. MInference samples the last 64 queries of a causal prompt;
 * an encoder has no "last" queries, so the samples are spread evenly.
 */
public final class VerticalSlashAttention extends AbstractKernel {
    private final int verticals;
    private final int slashes;
    private final int samples;
    private final boolean causal;
    private final int tile;

    public VerticalSlashAttention(int verticals, int slashes, int samples, boolean causal, int tile) {
        this.verticals = verticals;
        this.slashes = slashes;
        this.samples = samples;
        this.causal = causal;
        this.tile = tile;
    }

    @Override
    public String name() {
        return "vertical-slash";
    }

    @Override
    public long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                           int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        Workspace ws = Workspace.get();
        FlashEngine e = ws.engine;
        e.begin(q, k, v, out, stride, start, length, col, headDim, scale, tile, tile);
        AttentionMask mask = estimate(e, ws, q, stride, start, col, length);
        KeyRanges kr = ws.ranges;
        for (int i0 = rowFrom; i0 < rowTo; i0 += tile) {
            int rows = Math.min(tile, rowTo - i0);
            kr.clear();
            mask.ranges(i0, i0 + rows, length, tile, kr);
            kr.normalize();
            e.beginTile(i0, rows);
            e.keys(kr, mask, causal);
            e.endTile(lse);
        }
        return e.kept();
    }

    /** The pattern estimated from evenly spaced sample queries. */
    private AttentionMask estimate(FlashEngine e, Workspace ws, float[] q, int stride, int start, int col, int n) {
        int d = e.headDim(), ld = VectorMath.roundUp(n, 2 * VectorMath.L);
        float[] srow = ws.floats(0, ld);
        float[] qv = ws.floats(2, d);
        double[] colMass = new double[n];
        double[] diagMass = new double[2 * n - 1];
        int ns = Math.min(samples, n);
        float qscale = e.log2Scale();
        for (int x = 0; x < ns; x++) {
            int i = (int) ((2L * x + 1) * n / (2L * ns));
            for (int dd = 0; dd < d; dd++) qv[dd] = q[(start + i) * stride + col + dd] * qscale;
            e.vectorScores(qv, 0, ld, srow, 0);
            int lim = causal ? i + 1 : n;
            float mx = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < lim; j++) mx = Math.max(mx, srow[j]);
            for (int j = lim; j < ld; j++) srow[j] = Float.NEGATIVE_INFINITY;
            double z = 0;
            FloatVector mv = FloatVector.broadcast(VectorMath.S, mx);
            for (int j = 0; j < ld; j += VectorMath.L) {
                FloatVector w = VectorMath.exp2(FloatVector.fromArray(VectorMath.S, srow, j).sub(mv));
                w.intoArray(srow, j);
                z += VectorMath.sumLanes(w);
            }
            double inv = 1 / z;
            for (int j = 0; j < lim; j++) {
                double p = srow[j] * inv;
                colMass[j] += p;
                diagMass[j - i + n - 1] += p;
            }
        }
        int[] cols = top(colMass, Math.min(verticals, n), 0);
        int[] offs = top(diagMass, Math.min(slashes, 2 * n - 1), -(n - 1));
        if (Arrays.stream(offs).noneMatch(o -> o == 0)) {
            offs = Arrays.copyOf(offs, offs.length + 1); // the main diagonal, always
        }
        return new StaticMasks.Union(new StaticMasks.Vertical(cols), new StaticMasks.BlockDiagonals(tile, offs));
    }

    /** Indices (plus shift) of the c largest values. */
    private static int[] top(double[] a, int c, int shift) {
        long[] keys = new long[a.length];
        for (int i = 0; i < a.length; i++) keys[i] = ((long) Float.floatToIntBits((float) a[i]) << 32) | i; // a >= 0
        Arrays.sort(keys);
        int[] out = new int[c];
        for (int i = 0; i < c; i++) out[i] = (int) keys[a.length - 1 - i] + shift;
        return out;
    }
}
