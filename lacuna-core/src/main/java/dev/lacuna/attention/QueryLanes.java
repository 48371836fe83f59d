// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.kernel.internal.Species;
import jdk.incubator.vector.FloatVector;

import static dev.lacuna.attention.VectorMath.L;
import static dev.lacuna.attention.VectorMath.S;

/**
 * Exact bidirectional attention of one head at encoder lengths, with queries in the vector lanes. For a
 * block of QB = 4·L queries (64 with AVX-512):
 * <pre>
 *   Sᵀ = K · Qᵀ       [N, QB]   keys down, queries across (scores in the log2 domain)
 *   Pᵀ = exp2(Sᵀ − m) [N, QB]   m, and the sum l, per lane: down the column, no horizontal reduction
 *   Oᵀ = Vᵀ · Pᵀ      [D, QB]   then out[i, :] = Oᵀ[:, i] / l_i
 * </pre>
 * Both products run in register tiles of (6 key rows or 4 value columns) x 4 vectors of queries, one
 * broadcast per four FMAs, as the projections' GEMM does, where the flash engine's 4 x 2 tiles need one
 * per two and its online softmax rescales the accumulators after every key tile. The whole score column
 * of a query is at hand (N ≤ {@link #MAX_LENGTH}: Sᵀ is at most 256 KiB, in L2; its max per lane is
 * taken in the score tiles), so the softmax is exact with no rescaling; exp2 and P·V then run per chunk
 * of {@link #KC} keys, whose Pᵀ stays in L1. Past that length, and for causal or masked attention,
 * {@link FlashEngine} stays.
 *
 * <p>Each score is the same FMA chain over the head dimension as the flash engine's (dd = 0..D-1 on
 * queries pre-scaled by scale·log2 e); the softmax and P·V sum in another order, so outputs agree with
 * it to float rounding ({@code QueryLanesTest}). A head is computed by one thread: results do not depend
 * on the team. Needs 32 vector registers (24 accumulators + 4 + 1); with 16 the flash engine is used.
 *
 * <p>Shapes: N tokens of the sequence, D head dim, rows of q, k, v, out at {@code stride} floats.
 */
final class QueryLanes {
    /** Vectors of queries per block. */
    static final int QV = 4;
    /** Queries per block. */
    static final int QB = QV * L;
    /** Keys per chunk of the softmax and P·V: the chunk's Pᵀ [KC, QB] is 16 KiB with AVX-512, in L1. */
    static final int KC = 64;
    /** The longest sequence this kernel takes (its Pᵀ is N x QB floats). */
    static final int MAX_LENGTH = 1024;
    /** Whether the machine has the registers for its tiles ({@code -Dlacuna.attention.lanes=false} turns it off, for the lab). */
    static final boolean AVAILABLE = Species.registers() >= 32 && !"false".equals(System.getProperty("lacuna.attention.lanes"));

    private float[] qt = new float[0];   // [D, QB] the block's queries x scale·log2 e, transposed (padding lanes 0)
    private float[] pt = new float[0];   // [N, QB] scores, then probabilities
    private float[] ot = new float[0];   // [D, QB] un-normalised outputs, transposed
    private final float[] mx = new float[QB], inv = new float[QB], sums = new float[QB];

    /** Whether this kernel takes a sequence of {@code length} tokens. */
    static boolean takes(int length) {
        return AVAILABLE && length <= MAX_LENGTH;
    }

    /**
     * Rows [rowFrom, rowTo) of exact attention, as {@link AttentionKernel#attendRows} (no mask, not causal).
     *
     * @param lse [length] ln of each row's softmax sum (natural log, as the flash engine's), or null
     * @return attended (query, key) pairs
     */
    long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int n, int col, int d,
                    float scale, int rowFrom, int rowTo, float[] lse) {
        if (n > MAX_LENGTH) throw new IllegalArgumentException("query-lane attention: " + n + " tokens, at most " + MAX_LENGTH);
        if (qt.length < d * QB) {
            qt = new float[d * QB];
            ot = new float[d * QB];
        }
        if (pt.length < n * QB) pt = new float[Math.max(n, 64) * QB];
        float qscale = scale * VectorMath.LOG2E;
        for (int i0 = rowFrom; i0 < rowTo; i0 += QB) {
            int rows = Math.min(QB, rowTo - i0);
            transposeQueries(q, stride, start + i0, rows, col, d, qscale);
            scores(k, stride, start, n, col, d);
            java.util.Arrays.fill(sums, 0f);
            for (int j0 = 0; j0 < n; j0 += KC) { // per chunk of keys, its probabilities stay in L1 for P·V
                int j1 = Math.min(n, j0 + KC);
                for (int c = 0; c < QB; c += L) exp2Column(j0, j1, c);
                values(v, stride, start, j0, j1, col, d);
            }
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (int c = 0; c < QB; c += L) one.div(FloatVector.fromArray(S, sums, c)).intoArray(inv, c);
            for (int r = 0; r < rows; r++) {
                int o = (start + i0 + r) * stride + col;
                float s = inv[r];
                for (int dd = 0; dd < d; dd++) out[o + dd] = ot[dd * QB + r] * s;
                if (lse != null) lse[i0 + r] = (float) ((mx[r] + Math.log(sums[r]) / Math.log(2)) * VectorMath.LN2);
            }
        }
        return (long) (rowTo - rowFrom) * n;
    }

    /** qt[dd, r] = q[row0 + r, col + dd] · qscale for r < rows; lanes past rows are 0. */
    private void transposeQueries(float[] q, int stride, int row0, int rows, int col, int d, float qscale) {
        if (rows < QB) for (int dd = 0; dd < d; dd++) java.util.Arrays.fill(qt, dd * QB + rows, dd * QB + QB, 0f);
        for (int r = 0; r < rows; r++) {
            int o = (row0 + r) * stride + col;
            for (int dd = 0; dd < d; dd++) qt[dd * QB + r] = q[o + dd] * qscale;
        }
    }

    /** pt[j, :] = Σ_dd k[start + j, col + dd] · qt[dd, :] for j < n, six key rows at a time; mx = the max over j per lane. */
    private void scores(float[] k, int stride, int start, int n, int col, int d) {
        java.util.Arrays.fill(mx, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j + 6 <= n; j += 6) scores6(k, (start + j) * stride + col, stride, qt, d, pt, j * QB, mx);
        for (; j < n; j++) scores1(k, (start + j) * stride + col, qt, d, pt, j * QB, mx);
    }

    /** Six key rows (at k[ko + r·ks]) x QB queries: 24 accumulators, per dd 4 loads of qt and 6 broadcasts; folds the rows into mx [QB]. */
    static void scores6(float[] k, int ko, int ks, float[] qt, int d, float[] pt, int po, float[] mx) {
        int k0 = ko, k1 = ko + ks, k2 = ko + 2 * ks, k3 = ko + 3 * ks, k4 = ko + 4 * ks, k5 = ko + 5 * ks;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00, c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        for (int dd = 0; dd < d; dd++) {
            int qo = dd * QB;
            FloatVector b0 = FloatVector.fromArray(S, qt, qo), b1 = FloatVector.fromArray(S, qt, qo + L);
            FloatVector b2 = FloatVector.fromArray(S, qt, qo + 2 * L), b3 = FloatVector.fromArray(S, qt, qo + 3 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, k[k0 + dd]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, k[k1 + dd]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12); c13 = a.fma(b3, c13);
            a = FloatVector.broadcast(S, k[k2 + dd]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22); c23 = a.fma(b3, c23);
            a = FloatVector.broadcast(S, k[k3 + dd]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32); c33 = a.fma(b3, c33);
            a = FloatVector.broadcast(S, k[k4 + dd]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41); c42 = a.fma(b2, c42); c43 = a.fma(b3, c43);
            a = FloatVector.broadcast(S, k[k5 + dd]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51); c52 = a.fma(b2, c52); c53 = a.fma(b3, c53);
        }
        c00.intoArray(pt, po); c01.intoArray(pt, po + L); c02.intoArray(pt, po + 2 * L); c03.intoArray(pt, po + 3 * L);
        c10.intoArray(pt, po + QB); c11.intoArray(pt, po + QB + L); c12.intoArray(pt, po + QB + 2 * L); c13.intoArray(pt, po + QB + 3 * L);
        c20.intoArray(pt, po + 2 * QB); c21.intoArray(pt, po + 2 * QB + L); c22.intoArray(pt, po + 2 * QB + 2 * L); c23.intoArray(pt, po + 2 * QB + 3 * L);
        c30.intoArray(pt, po + 3 * QB); c31.intoArray(pt, po + 3 * QB + L); c32.intoArray(pt, po + 3 * QB + 2 * L); c33.intoArray(pt, po + 3 * QB + 3 * L);
        c40.intoArray(pt, po + 4 * QB); c41.intoArray(pt, po + 4 * QB + L); c42.intoArray(pt, po + 4 * QB + 2 * L); c43.intoArray(pt, po + 4 * QB + 3 * L);
        c50.intoArray(pt, po + 5 * QB); c51.intoArray(pt, po + 5 * QB + L); c52.intoArray(pt, po + 5 * QB + 2 * L); c53.intoArray(pt, po + 5 * QB + 3 * L);
        FloatVector.fromArray(S, mx, 0).max(c00.max(c10).max(c20.max(c30)).max(c40.max(c50))).intoArray(mx, 0);
        FloatVector.fromArray(S, mx, L).max(c01.max(c11).max(c21.max(c31)).max(c41.max(c51))).intoArray(mx, L);
        FloatVector.fromArray(S, mx, 2 * L).max(c02.max(c12).max(c22.max(c32)).max(c42.max(c52))).intoArray(mx, 2 * L);
        FloatVector.fromArray(S, mx, 3 * L).max(c03.max(c13).max(c23.max(c33)).max(c43.max(c53))).intoArray(mx, 3 * L);
    }

    /** One key row x QB queries (the N mod 6 tail): the same chain per score as {@link #scores6}. */
    static void scores1(float[] k, int ko, float[] qt, int d, float[] pt, int po, float[] mx) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int dd = 0; dd < d; dd++) {
            int qo = dd * QB;
            FloatVector a = FloatVector.broadcast(S, k[ko + dd]);
            c0 = a.fma(FloatVector.fromArray(S, qt, qo), c0);
            c1 = a.fma(FloatVector.fromArray(S, qt, qo + L), c1);
            c2 = a.fma(FloatVector.fromArray(S, qt, qo + 2 * L), c2);
            c3 = a.fma(FloatVector.fromArray(S, qt, qo + 3 * L), c3);
        }
        c0.intoArray(pt, po); c1.intoArray(pt, po + L); c2.intoArray(pt, po + 2 * L); c3.intoArray(pt, po + 3 * L);
        FloatVector.fromArray(S, mx, 0).max(c0).intoArray(mx, 0);
        FloatVector.fromArray(S, mx, L).max(c1).intoArray(mx, L);
        FloatVector.fromArray(S, mx, 2 * L).max(c2).intoArray(mx, 2 * L);
        FloatVector.fromArray(S, mx, 3 * L).max(c3).intoArray(mx, 3 * L);
    }

    /**
     * Keys [j0, j1) of the lanes [c, c + L): pt = exp2(pt − m) in place, added to sums. One vector of
     * queries per call: with the four in one loop, C2 stopped inlining the third and fourth
     * {@link VectorMath#exp2} (NodeCountInliningCutoff), and the vectors they passed were boxed (the
     * softmax took 44% of the kernel's time).
     */
    private void exp2Column(int j0, int j1, int c) {
        FloatVector m = FloatVector.fromArray(S, mx, c);
        FloatVector sum = FloatVector.fromArray(S, sums, c);
        for (int j = j0; j < j1; j++) {
            int o = j * QB + c;
            FloatVector p = VectorMath.exp2(FloatVector.fromArray(S, pt, o).sub(m));
            p.intoArray(pt, o);
            sum = sum.add(p);
        }
        sum.intoArray(sums, c);
    }

    /** ot[dd, :] (+)= Σ_{j in [j0, j1)} v[start + j, col + dd] · pt[j, :], four value columns at a time; from zero when j0 = 0. */
    private void values(float[] v, int stride, int start, int j0, int j1, int col, int d) {
        int dd = 0;
        for (; dd + 4 <= d; dd += 4) values4(v, start * stride + col + dd, stride, pt, j0, j1, ot, dd * QB);
        for (; dd < d; dd++) values1(v, start * stride + col + dd, stride, pt, j0, j1, ot, dd * QB);
    }

    /**
     * Four value columns (at v[vo + j·vs + c]) x QB queries over keys [j0, j1): 16 accumulators, per key 4
     * loads of pt and 4 broadcasts; continuing the sums in ot when j0 > 0, so that each output is one
     * chain over j = 0..N-1 however the keys are chunked.
     */
    static void values4(float[] v, int vo, int vs, float[] pt, int j0, int j1, float[] ot, int oo) {
        boolean go = j0 > 0;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = go ? FloatVector.fromArray(S, ot, oo) : z, c01 = go ? FloatVector.fromArray(S, ot, oo + L) : z;
        FloatVector c02 = go ? FloatVector.fromArray(S, ot, oo + 2 * L) : z, c03 = go ? FloatVector.fromArray(S, ot, oo + 3 * L) : z;
        FloatVector c10 = go ? FloatVector.fromArray(S, ot, oo + QB) : z, c11 = go ? FloatVector.fromArray(S, ot, oo + QB + L) : z;
        FloatVector c12 = go ? FloatVector.fromArray(S, ot, oo + QB + 2 * L) : z, c13 = go ? FloatVector.fromArray(S, ot, oo + QB + 3 * L) : z;
        FloatVector c20 = go ? FloatVector.fromArray(S, ot, oo + 2 * QB) : z, c21 = go ? FloatVector.fromArray(S, ot, oo + 2 * QB + L) : z;
        FloatVector c22 = go ? FloatVector.fromArray(S, ot, oo + 2 * QB + 2 * L) : z, c23 = go ? FloatVector.fromArray(S, ot, oo + 2 * QB + 3 * L) : z;
        FloatVector c30 = go ? FloatVector.fromArray(S, ot, oo + 3 * QB) : z, c31 = go ? FloatVector.fromArray(S, ot, oo + 3 * QB + L) : z;
        FloatVector c32 = go ? FloatVector.fromArray(S, ot, oo + 3 * QB + 2 * L) : z, c33 = go ? FloatVector.fromArray(S, ot, oo + 3 * QB + 3 * L) : z;
        for (int j = j0; j < j1; j++) {
            int po = j * QB, o = vo + j * vs;
            FloatVector b0 = FloatVector.fromArray(S, pt, po), b1 = FloatVector.fromArray(S, pt, po + L);
            FloatVector b2 = FloatVector.fromArray(S, pt, po + 2 * L), b3 = FloatVector.fromArray(S, pt, po + 3 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, v[o]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, v[o + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12); c13 = a.fma(b3, c13);
            a = FloatVector.broadcast(S, v[o + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22); c23 = a.fma(b3, c23);
            a = FloatVector.broadcast(S, v[o + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32); c33 = a.fma(b3, c33);
        }
        c00.intoArray(ot, oo); c01.intoArray(ot, oo + L); c02.intoArray(ot, oo + 2 * L); c03.intoArray(ot, oo + 3 * L);
        oo += QB;
        c10.intoArray(ot, oo); c11.intoArray(ot, oo + L); c12.intoArray(ot, oo + 2 * L); c13.intoArray(ot, oo + 3 * L);
        oo += QB;
        c20.intoArray(ot, oo); c21.intoArray(ot, oo + L); c22.intoArray(ot, oo + 2 * L); c23.intoArray(ot, oo + 3 * L);
        oo += QB;
        c30.intoArray(ot, oo); c31.intoArray(ot, oo + L); c32.intoArray(ot, oo + 2 * L); c33.intoArray(ot, oo + 3 * L);
    }

    /** One value column (the D mod 4 tail): the same chain per output as {@link #values4}. */
    static void values1(float[] v, int vo, int vs, float[] pt, int j0, int j1, float[] ot, int oo) {
        boolean go = j0 > 0;
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = go ? FloatVector.fromArray(S, ot, oo) : z, c1 = go ? FloatVector.fromArray(S, ot, oo + L) : z;
        FloatVector c2 = go ? FloatVector.fromArray(S, ot, oo + 2 * L) : z, c3 = go ? FloatVector.fromArray(S, ot, oo + 3 * L) : z;
        for (int j = j0; j < j1; j++) {
            int po = j * QB;
            FloatVector a = FloatVector.broadcast(S, v[vo + j * vs]);
            c0 = a.fma(FloatVector.fromArray(S, pt, po), c0);
            c1 = a.fma(FloatVector.fromArray(S, pt, po + L), c1);
            c2 = a.fma(FloatVector.fromArray(S, pt, po + 2 * L), c2);
            c3 = a.fma(FloatVector.fromArray(S, pt, po + 3 * L), c3);
        }
        c0.intoArray(ot, oo); c1.intoArray(ot, oo + L); c2.intoArray(ot, oo + 2 * L); c3.intoArray(ot, oo + 3 * L);
    }
}
