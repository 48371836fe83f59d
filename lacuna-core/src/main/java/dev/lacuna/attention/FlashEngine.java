// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;

import static dev.lacuna.attention.VectorMath.L;
import static dev.lacuna.attention.VectorMath.S;

/**
 * The tiled online-softmax ("flash") engine every kernel of this package runs on. One head of one
 * sequence at a time; never materialises the [N, N] score matrix.
 *
 * <p>Shapes: N tokens of the sequence, D head dim, BQ query-tile rows, BK key-tile width (a multiple
 * of 2 * L, L = vector lanes). Memory: kt [D, N + 2 * BK] plus O(BQ * (BK + D)) per tile.
 *
 * <p>Use: {@link #begin} (transposes this head's keys once), then per query tile
 * {@link #beginTile}, any number of {@link #keyRange}/{@link #keyList}/{@link #rowScores} calls
 * (each folds more keys into the running max m, sum l and accumulator acc), then {@link #endTile}.
 * Scores live in the log2 domain: queries are pre-scaled by scale * log2(e).
 *
 * <p>Dao et al., FlashAttention (2022), Algorithm 1, without the backward pass.
 */
final class FlashEngine {
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    // the call
    private float[] q, k, v, out;
    private int stride, start, n, col, d;
    private float qscale;
    int bq, bk;

    // buffers
    private float[] kt = new float[0];   // [D, ldk] this head's keys, transposed
    private int ldk;
    private float[] qs = new float[0];   // [BQ, D] queries of the tile, scaled
    private float[] sc = new float[0];   // [BQ, BK] scores, then probabilities
    private float[] acc = new float[0];  // [BQ, D] un-normalised outputs
    private float[] m = new float[0];    // [BQ] running max (log2 domain)
    private float[] l = new float[0];    // [BQ] running sum of 2^(score - m)
    private float[] alpha = new float[0];// [BQ] rescale of acc for the current key tile
    private int[] allowed = new int[0];  // [BQ] keys kept per row in the current key tile
    private int[] voff = new int[0];     // [BK] offsets of the current tile's value rows
    private float[] kg = new float[0];   // [D, BK] gathered keys, transposed
    private boolean[] row = new boolean[0]; // [BK] mask of one row
    private float[] sel = new float[0];  // [count] weights of selected keys
    private int[] packedCols = new int[0];  // columns held in packed, sorted
    private int packedCount = -1;           // -1: nothing packed for this call
    private float[] packed = new float[0];  // [D, ldp] keys of packedCols, transposed
    private int ldp;

    // the tile
    private int i0, rows;
    private long kept;
    /** BLASST: a row skips a key tile when the tile's max is below m - skipLog2 (infinite: never). */
    float skipLog2 = Float.POSITIVE_INFINITY;
    /** Tests only: told the keys a selecting kernel folds into each row; null otherwise. */
    KeyObserver observer;

    /** Sees (query row, keys idx[0, count)) as a selecting kernel folds them, indices within the sequence. */
    interface KeyObserver {
        void keys(int row, int[] idx, int count);
    }

    /**
     * Starts one head of one sequence. Arguments as in {@link AttentionKernel#attend}.
     *
     * @param bq query-tile rows (>= 1)
     * @param bk key-tile width (a multiple of 2 * L)
     */
    void begin(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col, int headDim,
               float scale, int bq, int bk) {
        assert bk % (2 * L) == 0 : "key tile " + bk + " is not a multiple of " + 2 * L;
        this.q = q;
        this.k = k;
        this.v = v;
        this.out = out;
        this.stride = stride;
        this.start = start;
        this.n = length;
        this.col = col;
        this.d = headDim;
        this.qscale = scale * VectorMath.LOG2E;
        this.bq = bq;
        this.bk = bk;
        this.kept = 0;
        this.skipLog2 = Float.POSITIVE_INFINITY;
        this.packedCount = -1;
        ensure(bq, bk, headDim, length);
        transposeKeys(k);
    }

    private void ensure(int bq, int bk, int d, int n) {
        int ld = VectorMath.roundUp(n, bk) + 2 * bk;
        if (kt.length < d * ld) kt = new float[d * ld + (d * ld >> 3)];
        ldk = ld;
        if (qs.length < bq * d) qs = new float[bq * d];
        if (sc.length < bq * bk) sc = new float[bq * bk];
        if (acc.length < bq * d) acc = new float[bq * d];
        if (m.length < bq) {
            m = new float[bq];
            l = new float[bq];
            alpha = new float[bq];
            allowed = new int[bq];
        }
        if (voff.length < bk) {
            voff = new int[bk];
            row = new boolean[bk];
        }
        if (kg.length < d * bk) kg = new float[d * bk];
    }

    /** kt[dd, j] = k[start + j, col + dd]; columns past n are zero so their (masked) scores stay finite. */
    private void transposeKeys(float[] k) {
        for (int j0 = 0; j0 < n; j0 += 64) {
            int j1 = Math.min(n, j0 + 64);
            for (int dd = 0; dd < d; dd++) {
                int to = dd * ldk;
                for (int j = j0, ko = (start + j0) * stride + col + dd; j < j1; j++, ko += stride) kt[to + j] = k[ko];
            }
        }
        for (int dd = 0; dd < d; dd++) Arrays.fill(kt, dd * ldk + n, (dd + 1) * ldk, 0f);
    }

    int length() {
        return n;
    }

    int headDim() {
        return d;
    }

    /** (query, key) pairs whose weight entered a softmax since {@link #begin}. */
    long kept() {
        return kept;
    }


    /** Starts the query tile [i0, i0 + rows) (indices within the sequence). */
    void beginTile(int i0, int rows) {
        assert rows >= 1 && rows <= bq && i0 + rows <= n;
        this.i0 = i0;
        this.rows = rows;
        for (int r = 0; r < rows; r++) {
            int qo = (start + i0 + r) * stride + col, o = r * d;
            int dd = 0;
            for (; dd <= d - L; dd += L) FloatVector.fromArray(S, q, qo + dd).mul(qscale).intoArray(qs, o + dd);
            for (; dd < d; dd++) qs[o + dd] = q[qo + dd] * qscale;
        }
        Arrays.fill(m, 0, rows, NEG_INF);
        Arrays.fill(l, 0, rows, 0f);
        Arrays.fill(acc, 0, rows * d, 0f);
    }



    /**
     * Folds keys [j0, j0 + count) into the tile, count <= BK.
     *
     * @param mask   decides per query and key when not null (a partial range)
     * @param causal keeps only keys j <= i
     * @param exclude columns already attended through {@link #keyList} (excluded here), or null
     */
    void keyRange(int j0, int count, AttentionMask mask, boolean causal, KeyRanges exclude) {
        assert count >= 1 && count <= bk && j0 + count <= n;
        int padded = VectorMath.roundUp(count, 2 * L);
        scoreTile(kt, ldk, j0, padded, sc, bk);
        for (int c = 0; c < rows; c++) allowed[c] = count;
        if (padded > count) for (int r = 0; r < rows; r++) Arrays.fill(sc, r * bk + count, r * bk + padded, NEG_INF);
        boolean excl = exclude != null && exclude.columnCount() > 0
                && exclude.firstColumnAtLeast(j0) < exclude.columnCount()
                && exclude.columns()[exclude.firstColumnAtLeast(j0)] < j0 + count;
        if (mask != null || excl) applyMask(j0, count, mask, exclude, excl);
        if (causal && j0 + count - 1 > i0) applyCausal(j0, count);
        for (int c = 0; c < count; c++) voff[c] = (start + j0 + c) * stride + col;
        update(count, padded);
    }

    /**
     * Folds the keys idx[off, off + count) (any order, no repeats) into the tile, count <= BK.
     * Every query of the tile attends all of them, except keys past the query when causal.
     */
    void keyList(int[] idx, int off, int count, boolean causal) {
        assert count >= 1 && count <= bk;
        int padded = VectorMath.roundUp(count, 2 * L);
        for (int dd = 0; dd < d; dd++) {
            int src = dd * ldk, dst = dd * bk;
            for (int c = 0; c < count; c++) kg[dst + c] = kt[src + idx[off + c]];
            for (int c = count; c < padded; c++) kg[dst + c] = 0f;
        }
        scoreTile(kg, bk, 0, padded, sc, bk);
        listUpdate(idx, off, count, padded, causal);
    }

    /** Masks padding (and future keys when causal) of a list tile scored into sc, then updates. */
    private void listUpdate(int[] idx, int off, int count, int padded, boolean causal) {
        for (int r = 0; r < rows; r++) {
            allowed[r] = count;
            if (padded > count) Arrays.fill(sc, r * bk + count, r * bk + padded, NEG_INF);
        }
        if (causal) {
            for (int r = 0; r < rows; r++) {
                int i = i0 + r, so = r * bk;
                for (int c = 0; c < count; c++) {
                    if (idx[off + c] > i) {
                        sc[so + c] = NEG_INF;
                        allowed[r]--;
                    }
                }
            }
        }
        for (int c = 0; c < count; c++) voff[c] = (start + idx[off + c]) * stride + col;
        update(count, padded);
    }

    /**
     * Folds every key of {@code r} (normalized) into the tile: gathered columns first, then each range
     * in chunks of at most BK keys; partial ranges ask {@code mask}; ranges wholly past the tile's
     * last query are skipped when causal.
     */
    void keys(KeyRanges r, AttentionMask mask, boolean causal) {
        int last = i0 + rows - 1;
        int[] cols = r.columns();
        int all = r.columnCount(), nc = all;
        if (causal) while (nc > 0 && cols[nc - 1] > last) nc--;
        if (nc > 0) {
            pack(cols, all);
            for (int c = 0; c < nc; c += bk) packedList(c, Math.min(bk, nc - c), causal);
        }
        for (int x = 0; x < r.size(); x++) {
            int to = causal ? Math.min(r.to(x), last + 1) : r.to(x);
            AttentionMask mk = r.full(x) ? null : mask;
            for (int j0 = r.from(x); j0 < to; j0 += bk) keyRange(j0, Math.min(bk, to - j0), mk, causal, r);
        }
    }

    /**
     * Transposes the keys of cols[0, count) into the packed buffer, unless they are already there:
     * patterns with vertical stripes hand every tile the same columns, so this runs once per call.
     */
    private void pack(int[] cols, int count) {
        if (count == packedCount && Arrays.equals(cols, 0, count, packedCols, 0, count)) return;
        ldp = VectorMath.roundUp(count, bk);
        if (packed.length < d * ldp) packed = new float[d * ldp];
        if (packedCols.length < count) packedCols = new int[count];
        System.arraycopy(cols, 0, packedCols, 0, count);
        packedCount = count;
        for (int dd = 0; dd < d; dd++) {
            int src = dd * ldk, dst = dd * ldp;
            for (int c = 0; c < count; c++) packed[dst + c] = kt[src + cols[c]];
            for (int c = count; c < ldp; c++) packed[dst + c] = 0f;
        }
    }

    /** Folds packed columns [c0, c0 + count) (count <= BK) into the tile. */
    private void packedList(int c0, int count, boolean causal) {
        int padded = VectorMath.roundUp(count, 2 * L);
        scoreTile(packed, ldp, c0, padded, sc, bk);
        listUpdate(packedCols, c0, count, padded, causal);
    }

    /**
     * Scores of the tile's rows against keys [j0, j0 + padded) into dst[r * ld + c], c < padded, in the
     * log2 domain; padded must be a multiple of 2 * L. For methods that select keys from exact scores.
     */
    void rowScores(int j0, int padded, float[] dst, int ld) {
        scoreTile(kt, ldk, j0, padded, dst, ld);
    }

    /**
     * Folds the selected keys idx[0, count) of tile row r into the tile, given their exact scores
     * scores[idx[c] - base + so] in the log2 domain (from {@link #rowScores}).
     */
    void selected(int r, float[] scores, int so, int base, int[] idx, int count) {
        if (observer != null) observer.keys(i0 + r, idx, count);
        if (count == 0) return;
        float[] w = selBuffer(count);
        for (int c = 0; c < count; c++) w[c] = scores[so + idx[c] - base];
        fold(r, w, idx, count);
    }

    /** Folds the keys idx[0, count) of tile row r into the tile, computing their exact scores. */
    void selectedExact(int r, int[] idx, int count) {
        if (observer != null) observer.keys(i0 + r, idx, count);
        if (count == 0) return;
        float[] w = selBuffer(count);
        rowDots(r, idx, count, w);
        fold(r, w, idx, count);
    }

    private float[] selBuffer(int count) {
        if (sel.length < count + 2 * L) sel = new float[count + count / 2 + 2 * L];
        return sel;
    }

    /** w[c] = qs[r] . k[idx[c]] (log2 domain), dot products along D from the key rows. */
    private void rowDots(int r, int[] idx, int count, float[] w) {
        final int d = this.d;
        int qo = r * d;
        int c = 0;
        if (d % L == 0) {
            for (; c + 4 <= count; c += 4) {
                int k0 = (start + idx[c]) * stride + col, k1 = (start + idx[c + 1]) * stride + col;
                int k2 = (start + idx[c + 2]) * stride + col, k3 = (start + idx[c + 3]) * stride + col;
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
                for (int dd = 0; dd < d; dd += L) {
                    FloatVector qv = FloatVector.fromArray(S, qs, qo + dd);
                    a0 = FloatVector.fromArray(S, k, k0 + dd).fma(qv, a0);
                    a1 = FloatVector.fromArray(S, k, k1 + dd).fma(qv, a1);
                    a2 = FloatVector.fromArray(S, k, k2 + dd).fma(qv, a2);
                    a3 = FloatVector.fromArray(S, k, k3 + dd).fma(qv, a3);
                }
                w[c] = VectorMath.sumLanes(a0);
                w[c + 1] = VectorMath.sumLanes(a1);
                w[c + 2] = VectorMath.sumLanes(a2);
                w[c + 3] = VectorMath.sumLanes(a3);
            }
        }
        for (; c < count; c++) {
            int ko = (start + idx[c]) * stride + col;
            float s = 0;
            for (int dd = 0; dd < d; dd++) s += qs[qo + dd] * k[ko + dd];
            w[c] = s;
        }
    }

    /** Online-softmax fold of row r over keys idx[0, count) with log2 scores w[0, count) (overwritten). */
    private void fold(int r, float[] w, int[] idx, int count) {
        FloatVector mx = FloatVector.broadcast(S, NEG_INF);
        int padded = VectorMath.roundUp(count, L);
        for (int c = count; c < padded; c++) w[c] = NEG_INF;
        for (int c = 0; c < padded; c += L) mx = mx.max(FloatVector.fromArray(S, w, c));
        float tmax = mx.reduceLanes(VectorOperators.MAX);
        if (tmax == NEG_INF) return;
        float mNew = Math.max(m[r], tmax);
        float a = m[r] == NEG_INF ? 0f : VectorMath.exp2(m[r] - mNew);
        FloatVector mv = FloatVector.broadcast(S, mNew), sum = FloatVector.zero(S);
        for (int c = 0; c < padded; c += L) {
            FloatVector p = VectorMath.exp2(FloatVector.fromArray(S, w, c).sub(mv));
            p.intoArray(w, c);
            sum = sum.add(p);
        }
        int ao = r * d;
        if (a != 1f) for (int dd = 0; dd < d; dd++) acc[ao + dd] *= a;
        int dd = 0;
        for (; dd + 2 * L <= d; dd += 2 * L) { // two accumulators stay in registers across the keys
            FloatVector x0 = FloatVector.fromArray(S, acc, ao + dd), x1 = FloatVector.fromArray(S, acc, ao + dd + L);
            for (int c = 0; c < count; c++) {
                int vo = (start + idx[c]) * stride + col + dd;
                FloatVector p = FloatVector.broadcast(S, w[c]);
                x0 = FloatVector.fromArray(S, v, vo).fma(p, x0);
                x1 = FloatVector.fromArray(S, v, vo + L).fma(p, x1);
            }
            x0.intoArray(acc, ao + dd);
            x1.intoArray(acc, ao + dd + L);
        }
        for (; dd < d; dd++) {
            float x = acc[ao + dd];
            for (int c = 0; c < count; c++) x += w[c] * v[(start + idx[c]) * stride + col + dd];
            acc[ao + dd] = x;
        }
        l[r] = l[r] * a + VectorMath.sumLanes(sum);
        m[r] = mNew;
        kept += count;
    }

    /** out rows of the tile = acc / l; lse[i] = ln of the kept softmax mass (natural log), when lse != null. */
    void endTile(float[] lse) {
        for (int r = 0; r < rows; r++) {
            int oo = (start + i0 + r) * stride + col, ao = r * d;
            float inv = l[r] > 0 ? 1f / l[r] : 0f;
            int dd = 0;
            for (; dd <= d - L; dd += L) FloatVector.fromArray(S, acc, ao + dd).mul(inv).intoArray(out, oo + dd);
            for (; dd < d; dd++) out[oo + dd] = acc[ao + dd] * inv;
            if (lse != null) {
                lse[i0 + r] = l[r] > 0 ? (float) ((m[r] + Math.log(l[r]) / Math.log(2)) * VectorMath.LN2)
                        : NEG_INF;
            }
        }
    }

    /** The tile's scaled queries, row r at [r * D, (r + 1) * D) (log2 domain). */
    float[] tileQueries() {
        return qs;
    }

    /**
     * dst[dOff + c] = qv[qo, qo + D) . k[c] for keys c in [0, padded), padded a multiple of 2L, for a
     * query vector already in the log2 domain (e.g. a pooled query). Keys past N score 0.
     */
    void vectorScores(float[] qv, int qo, int padded, float[] dst, int dOff) {
        final int d = this.d;
        for (int c = 0; c < padded; c += 2 * L) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
            int kp = c;
            for (int dd = 0; dd < d; dd++, kp += ldk) {
                FloatVector b = FloatVector.broadcast(S, qv[qo + dd]);
                a0 = FloatVector.fromArray(S, kt, kp).fma(b, a0);
                a1 = FloatVector.fromArray(S, kt, kp + L).fma(b, a1);
            }
            a0.intoArray(dst, dOff + c);
            a1.intoArray(dst, dOff + c + L);
        }
    }

    /** The scale that turns q . k into a log2-domain score: scale * log2(e). */
    float log2Scale() {
        return qscale;
    }

    /** This head's transposed keys [D, ldk()] (columns past N are zero). */
    float[] keysTransposed() {
        return kt;
    }

    int ldk() {
        return ldk;
    }


    // ---- internals

    /**
     * dst[r * ld + c] = qs[r] . km[:, c0 + c] for the tile's rows and c < padded.
     * Four query rows x 2L keys per step: each key vector load feeds four FMAs, and the eight
     * accumulators stay in registers across the whole head dimension.
     */
    private void scoreTile(float[] km, int ld, int c0, int padded, float[] dst, int dld) {
        final int d = this.d;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int q0 = r * d, q1 = q0 + d, q2 = q1 + d, q3 = q2 + d;
            for (int c = 0; c < padded; c += 2 * L) {
                FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
                int kp = c0 + c;
                for (int dd = 0; dd < d; dd++, kp += ld) {
                    FloatVector k0 = FloatVector.fromArray(S, km, kp);
                    FloatVector k1 = FloatVector.fromArray(S, km, kp + L);
                    FloatVector b0 = FloatVector.broadcast(S, qs[q0 + dd]);
                    FloatVector b1 = FloatVector.broadcast(S, qs[q1 + dd]);
                    FloatVector b2 = FloatVector.broadcast(S, qs[q2 + dd]);
                    FloatVector b3 = FloatVector.broadcast(S, qs[q3 + dd]);
                    a00 = k0.fma(b0, a00);
                    a01 = k1.fma(b0, a01);
                    a10 = k0.fma(b1, a10);
                    a11 = k1.fma(b1, a11);
                    a20 = k0.fma(b2, a20);
                    a21 = k1.fma(b2, a21);
                    a30 = k0.fma(b3, a30);
                    a31 = k1.fma(b3, a31);
                }
                int o = r * dld + c;
                a00.intoArray(dst, o);
                a01.intoArray(dst, o + L);
                a10.intoArray(dst, o + dld);
                a11.intoArray(dst, o + dld + L);
                a20.intoArray(dst, o + 2 * dld);
                a21.intoArray(dst, o + 2 * dld + L);
                a30.intoArray(dst, o + 3 * dld);
                a31.intoArray(dst, o + 3 * dld + L);
            }
        }
        for (; r < rows; r++) {
            int q0 = r * d;
            for (int c = 0; c < padded; c += 2 * L) {
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
                int kp = c0 + c;
                for (int dd = 0; dd < d; dd++, kp += ld) {
                    FloatVector b0 = FloatVector.broadcast(S, qs[q0 + dd]);
                    a0 = FloatVector.fromArray(S, km, kp).fma(b0, a0);
                    a1 = FloatVector.fromArray(S, km, kp + L).fma(b0, a1);
                }
                a0.intoArray(dst, r * dld + c);
                a1.intoArray(dst, r * dld + c + L);
            }
        }
    }

    /**
     * dst[dOff + r * dld + c] = qm[qOff + r * d, +d) . km[:, c0 + c] for r < rows, c < padded (a multiple of 2L):
     * the score micro-kernel for callers with their own (e.g. low-dimensional) matrices.
     */
    static void scores(float[] qm, int qOff, int rows, int d, float[] km, int ld, int c0, int padded, float[] dst,
                       int dOff, int dld) {
        int r0 = 0;
        for (; r0 + 4 <= rows; r0 += 4) { // four rows share each key load
            int q0 = qOff + r0 * d, q1 = q0 + d, q2 = q1 + d, q3 = q2 + d;
            for (int c = 0; c < padded; c += 2 * L) {
                FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
                FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
                int kp = c0 + c;
                for (int dd = 0; dd < d; dd++, kp += ld) {
                    FloatVector k0 = FloatVector.fromArray(S, km, kp), k1 = FloatVector.fromArray(S, km, kp + L);
                    FloatVector b0 = FloatVector.broadcast(S, qm[q0 + dd]), b1 = FloatVector.broadcast(S, qm[q1 + dd]);
                    FloatVector b2 = FloatVector.broadcast(S, qm[q2 + dd]), b3 = FloatVector.broadcast(S, qm[q3 + dd]);
                    a00 = k0.fma(b0, a00);
                    a01 = k1.fma(b0, a01);
                    a10 = k0.fma(b1, a10);
                    a11 = k1.fma(b1, a11);
                    a20 = k0.fma(b2, a20);
                    a21 = k1.fma(b2, a21);
                    a30 = k0.fma(b3, a30);
                    a31 = k1.fma(b3, a31);
                }
                int o = dOff + r0 * dld + c;
                a00.intoArray(dst, o);
                a01.intoArray(dst, o + L);
                a10.intoArray(dst, o + dld);
                a11.intoArray(dst, o + dld + L);
                a20.intoArray(dst, o + 2 * dld);
                a21.intoArray(dst, o + 2 * dld + L);
                a30.intoArray(dst, o + 3 * dld);
                a31.intoArray(dst, o + 3 * dld + L);
            }
        }
        for (int r = r0; r < rows; r++) {
            int q0 = qOff + r * d;
            for (int c = 0; c < padded; c += 2 * L) {
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
                int kp = c0 + c;
                for (int dd = 0; dd < d; dd++, kp += ld) {
                    FloatVector b0 = FloatVector.broadcast(S, qm[q0 + dd]);
                    a0 = FloatVector.fromArray(S, km, kp).fma(b0, a0);
                    a1 = FloatVector.fromArray(S, km, kp + L).fma(b0, a1);
                }
                a0.intoArray(dst, dOff + r * dld + c);
                a1.intoArray(dst, dOff + r * dld + c + L);
            }
        }
    }

    private void applyMask(int j0, int count, AttentionMask mask, KeyRanges exclude, boolean excl) {
        int cFirst = excl ? exclude.firstColumnAtLeast(j0) : 0;
        for (int r = 0; r < rows; r++) {
            int so = r * bk;
            if (mask != null) {
                Arrays.fill(row, 0, count, false);
                mask.allowRow(i0 + r, j0, count, n, row);
            } else {
                Arrays.fill(row, 0, count, true);
            }
            if (excl) {
                int[] cols = exclude.columns();
                for (int ci = cFirst; ci < exclude.columnCount() && cols[ci] < j0 + count; ci++) row[cols[ci] - j0] = false;
            }
            int a = 0;
            for (int c = 0; c < count; c++) {
                if (row[c]) a++;
                else sc[so + c] = NEG_INF;
            }
            allowed[r] = a;
        }
    }

    private void applyCausal(int j0, int count) {
        for (int r = 0; r < rows; r++) {
            int i = i0 + r, so = r * bk;
            int firstBad = Math.max(0, i - j0 + 1);
            for (int c = firstBad; c < count; c++) {
                if (sc[so + c] != NEG_INF) {
                    sc[so + c] = NEG_INF;
                    allowed[r]--;
                }
            }
        }
    }

    /** Online softmax over the tile's scores sc[:, 0, padded), then acc += P . V over count keys. */
    private void update(int count, int padded) {
        final float skip = skipLog2;
        boolean any = false;
        for (int r = 0; r < rows; r++) {
            int so = r * bk;
            FloatVector mx = FloatVector.broadcast(S, NEG_INF);
            for (int c = 0; c < padded; c += L) mx = mx.max(FloatVector.fromArray(S, sc, so + c));
            float tileMax = mx.reduceLanes(VectorOperators.MAX);
            float mOld = m[r];
            if (tileMax == NEG_INF || tileMax < mOld - skip) {
                alpha[r] = Float.NaN; // marks the row as idle for this key tile
                continue;
            }
            any = true;
            float mNew = Math.max(mOld, tileMax);
            alpha[r] = mOld == NEG_INF ? 0f : VectorMath.exp2(mOld - mNew);
            FloatVector mv = FloatVector.broadcast(S, mNew), sum = FloatVector.zero(S);
            for (int c = 0; c < padded; c += L) {
                FloatVector p = VectorMath.exp2(FloatVector.fromArray(S, sc, so + c).sub(mv));
                p.intoArray(sc, so + c);
                sum = sum.add(p);
            }
            l[r] = l[r] * alpha[r] + VectorMath.sumLanes(sum);
            m[r] = mNew;
            kept += allowed[r];
        }
        if (!any) return;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            boolean i0 = !Float.isNaN(alpha[r]), i1 = !Float.isNaN(alpha[r + 1]);
            boolean i2 = !Float.isNaN(alpha[r + 2]), i3 = !Float.isNaN(alpha[r + 3]);
            if (!(i0 | i1 | i2 | i3)) continue;
            for (int x = 0; x < 4; x++) {
                if (Float.isNaN(alpha[r + x])) {
                    alpha[r + x] = 1f;
                    Arrays.fill(sc, (r + x) * bk, (r + x) * bk + count, 0f);
                }
            }
            pv4(r, count);
        }
        for (; r < rows; r++) {
            if (Float.isNaN(alpha[r])) continue;
            pv1(r, count);
        }
    }

    /**
     * acc[r..r+3] = alpha * acc + P[r..r+3, 0, count) . V, in chunks of 2L output columns: per key, two
     * value vectors feed eight FMAs with eight accumulators in registers.
     */
    private void pv4(int r, int count) {
        final int d = this.d, bk = this.bk;
        float al0 = alpha[r], al1 = alpha[r + 1], al2 = alpha[r + 2], al3 = alpha[r + 3];
        int s0 = r * bk, s1 = s0 + bk, s2 = s1 + bk, s3 = s2 + bk;
        int a0 = r * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
        int c = 0;
        for (; c + 2 * L <= d; c += 2 * L) {
            FloatVector x00 = FloatVector.fromArray(S, acc, a0 + c).mul(al0);
            FloatVector x01 = FloatVector.fromArray(S, acc, a0 + c + L).mul(al0);
            FloatVector x10 = FloatVector.fromArray(S, acc, a1 + c).mul(al1);
            FloatVector x11 = FloatVector.fromArray(S, acc, a1 + c + L).mul(al1);
            FloatVector x20 = FloatVector.fromArray(S, acc, a2 + c).mul(al2);
            FloatVector x21 = FloatVector.fromArray(S, acc, a2 + c + L).mul(al2);
            FloatVector x30 = FloatVector.fromArray(S, acc, a3 + c).mul(al3);
            FloatVector x31 = FloatVector.fromArray(S, acc, a3 + c + L).mul(al3);
            for (int j = 0; j < count; j++) {
                int vo = voff[j] + c;
                FloatVector v0 = FloatVector.fromArray(S, v, vo);
                FloatVector v1 = FloatVector.fromArray(S, v, vo + L);
                FloatVector p0 = FloatVector.broadcast(S, sc[s0 + j]);
                FloatVector p1 = FloatVector.broadcast(S, sc[s1 + j]);
                FloatVector p2 = FloatVector.broadcast(S, sc[s2 + j]);
                FloatVector p3 = FloatVector.broadcast(S, sc[s3 + j]);
                x00 = v0.fma(p0, x00);
                x01 = v1.fma(p0, x01);
                x10 = v0.fma(p1, x10);
                x11 = v1.fma(p1, x11);
                x20 = v0.fma(p2, x20);
                x21 = v1.fma(p2, x21);
                x30 = v0.fma(p3, x30);
                x31 = v1.fma(p3, x31);
            }
            x00.intoArray(acc, a0 + c);
            x01.intoArray(acc, a0 + c + L);
            x10.intoArray(acc, a1 + c);
            x11.intoArray(acc, a1 + c + L);
            x20.intoArray(acc, a2 + c);
            x21.intoArray(acc, a2 + c + L);
            x30.intoArray(acc, a3 + c);
            x31.intoArray(acc, a3 + c + L);
        }
        if (c < d) {
            for (int x = 0; x < 4; x++) pvColumns(r + x, count, c);
        }
    }

    private void pv1(int r, int count) {
        final int d = this.d;
        float al = alpha[r];
        int so = r * bk, ao = r * d;
        int c = 0;
        for (; c + 2 * L <= d; c += 2 * L) {
            FloatVector x0 = FloatVector.fromArray(S, acc, ao + c).mul(al);
            FloatVector x1 = FloatVector.fromArray(S, acc, ao + c + L).mul(al);
            for (int j = 0; j < count; j++) {
                int vo = voff[j] + c;
                FloatVector p = FloatVector.broadcast(S, sc[so + j]);
                x0 = FloatVector.fromArray(S, v, vo).fma(p, x0);
                x1 = FloatVector.fromArray(S, v, vo + L).fma(p, x1);
            }
            x0.intoArray(acc, ao + c);
            x1.intoArray(acc, ao + c + L);
        }
        if (c < d) pvColumns(r, count, c);
    }

    /** The columns [c, D) of row r that the 2L-wide loops did not cover (D not a multiple of 2L). */
    private void pvColumns(int r, int count, int c) {
        final int d = this.d;
        float al = alpha[r];
        int so = r * bk, ao = r * d;
        for (int dd = c; dd < d; dd++) acc[ao + dd] *= al;
        for (int j = 0; j < count; j++) {
            float p = sc[so + j];
            int vo = voff[j];
            for (int dd = c; dd < d; dd++) acc[ao + dd] += p * v[vo + dd];
        }
    }
}
