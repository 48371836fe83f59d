// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static dev.lacuna.attention.VectorMath.L;

/**
 * Sparse attention driven by a lightweight token indexer: every key is scored in a low-dimensional
 * projection ({@link IndexerProjection}, fitted training-free on the sequence's own q and k), the
 * best keys are selected, and exact attention runs over them only.
 *
 * <ul>
 * <li>{@code FLAT} ({@code indexer}): DeepSeek Sparse Attention's indexer (DeepSeek-AI, V3.2, 2025),
 *     top-k per query, or RTPurbo's dynamic top-p over the indexer's softmax (2025) when p > 0.</li>
 * <li>{@code HIERARCHICAL} ({@code hisa}): HISA (2026): block representatives are scored first, and
 *     the token-level indexer runs only inside the best {@code blocks} blocks (plus the query's own and
 *     the first block). The representatives are per-dimension min/max keys, so a block's score bounds
 *     its best key's (Quest, 2024), rather than HISA's mean-pooled keys, which dilute single strong
 *     keys.</li>
 * <li>{@code MIXTURE} ({@code misa}): MISA (2026): the projection is split into a pool of
 *     {@code heads} indexer heads; a router on block-level statistics (how far each head's best
 *     block bound rises above its mean) activates {@code active} heads per query, and only those
 *     score tokens.</li>
 * </ul>
 */
public final class IndexerAttention extends AbstractKernel {
    /** Which indexer. */
    public enum Mode { FLAT, HIERARCHICAL, MIXTURE }

    private static final int ROWS = 16;

    private final Mode mode;
    private final int dim, k, block, blocks, heads, active, sample;
    private final double p;
    private final boolean causal;

    /**
     * @param dim    indexer dimensions (per indexer head for MIXTURE)
     * @param k      keys kept per query (when p = 0)
     * @param p      top-p over the indexer's softmax instead of top-k, when > 0 (FLAT only)
     * @param block  block size of the coarse filter and the router
     * @param blocks blocks kept by HISA's coarse filter
     * @param heads  MISA's pool of indexer heads
     * @param active MISA's heads routed per query
     * @param sample rows used to fit the projection
     */
    public IndexerAttention(Mode mode, int dim, int k, double p, int block, int blocks, int heads, int active,
                            int sample, boolean causal) {
        this.mode = mode;
        this.dim = dim;
        this.k = k;
        this.p = p;
        this.block = Math.max(block, 32);
        this.blocks = blocks;
        this.heads = heads;
        this.active = active;
        this.sample = sample;
        this.causal = causal;
    }

    @Override
    public String name() {
        return switch (mode) {
            case FLAT -> "indexer";
            case HIERARCHICAL -> "hisa";
            case MIXTURE -> "misa";
        };
    }

    @Override
    public long attendRows(float[] q, float[] kk, float[] v, float[] out, int stride, int start, int length, int col,
                           int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        Workspace ws = Workspace.get();
        FlashEngine e = ws.engine;
        e.begin(q, kk, v, out, stride, start, length, col, headDim, scale, ROWS, FlashAttention.TILE);
        int d = headDim;
        int hd = mode == Mode.MIXTURE ? Math.max(1, Math.min(dim, d / heads)) : Math.min(dim, d);
        int rank = mode == Mode.MIXTURE ? hd * heads : hd;
        IndexerProjection proj = IndexerProjection.fit(q, kk, stride, start, length, col, d, rank, sample);
        rank = proj.rank();
        int nb = (length + block - 1) / block;
        int ldl = VectorMath.roundUp(nb * block, 2 * L) + 2 * L;
        float[] kl = ws.floats(3, rank * ldl);
        float[] tmpRow = ws.floats(4, Math.max(rank, d) + 2 * L);
        for (int j = 0; j < length; j++) {
            proj.project(kk, (start + j) * stride + col, true, tmpRow, 0, 1f);
            for (int c = 0; c < rank; c++) kl[c * ldl + j] = tmpRow[c];
        }
        for (int c = 0; c < rank; c++) Arrays.fill(kl, c * ldl + length, (c + 1) * ldl, 0f);
        int nbp = VectorMath.roundUp(nb, 2 * L);
        float[] kbound = mode == Mode.FLAT ? null : bounds(ws, kl, ldl, rank, length, nb, nbp);

        int ld = VectorMath.roundUp(length, 2 * L);
        float[] qlow = ws.floats(5, ROWS * rank);
        float[] buf = ws.floats(0, Math.max(ROWS * ld, nb * block + 2 * L));
        float[] tmp = ws.floats(1, Math.max(ld, nbp) + 2 * L);
        float[] bbuf = ws.floats(6, nbp + 2 * L);
        int[] idx = ws.ints(0, length + block);
        int[] bidx = ws.ints(1, nb + 2);
        int[] cand = ws.ints(2, length + block);
        float[] hbuf = mode == Mode.MIXTURE ? ws.floats(7, ld) : null;
        long[] order = mode == Mode.MIXTURE ? new long[heads] : null;
        for (int i0 = rowFrom; i0 < rowTo; i0 += ROWS) {
            int rows = Math.min(ROWS, rowTo - i0);
            e.beginTile(i0, rows);
            float[] qs = e.tileQueries();
            for (int r = 0; r < rows; r++) proj.project(qs, r * d, false, qlow, r * rank, 1f);
            if (mode == Mode.FLAT) FlashEngine.scores(qlow, 0, rows, rank, kl, ldl, 0, ld, buf, 0, ld);
            for (int r = 0; r < rows; r++) {
                int i = i0 + r, lim = causal ? i + 1 : length;
                int cnt = switch (mode) {
                    case FLAT -> p > 0 ? Selection.topP(buf, r * ld, lim, p, idx, tmp) : Selection.topK(buf, r * ld, lim, k, idx, tmp);
                    case HIERARCHICAL -> hisaRow(qlow, r * rank, rank, kl, ldl, kbound, nbp, i, lim, buf, tmp, bbuf, idx, bidx, cand);
                    case MIXTURE -> misaRow(qlow, r * rank, rank, hd, kl, ldl, kbound, nbp, i, lim, ld, buf, hbuf, tmp, bbuf, idx, order);
                };
                e.selectedExact(r, idx, cnt);
            }
            e.endTile(lse);
        }
        return e.kept();
    }

    /**
     * Per block and indexer dimension, the largest and smallest projected key: [2, rank, nbp], max first.
     * A block's score for a query is then an upper bound of its best key's indexer score (Quest's page
     * bound, Tang et al., 2024), which keeps isolated strong keys (sinks, stripes) that a mean-pooled
     * representative dilutes 1/B-fold.
     */
    private float[] bounds(Workspace ws, float[] kl, int ldl, int rank, int n, int nb, int nbp) {
        float[] kb = ws.floats(9, 2 * rank * nbp + 2 * L);
        Arrays.fill(kb, 0, 2 * rank * nbp, 0f);
        for (int c = 0; c < rank; c++) {
            for (int b = 0; b < nb; b++) {
                int j0 = b * block, j1 = Math.min(n, j0 + block);
                float mx = Float.NEGATIVE_INFINITY, mn = Float.POSITIVE_INFINITY;
                for (int j = j0; j < j1; j++) {
                    float x = kl[c * ldl + j];
                    mx = Math.max(mx, x);
                    mn = Math.min(mn, x);
                }
                kb[c * nbp + b] = mx;
                kb[(rank + c) * nbp + b] = mn;
            }
        }
        return kb;
    }

    /** HISA for query i: coarse block filter (upper bounds), then the token indexer inside kept blocks. */
    private int hisaRow(float[] qlow, int qo, int rank, float[] kl, int ldl, float[] kbound, int nbp, int i, int lim,
                        float[] buf, float[] tmp, float[] bbuf, int[] idx, int[] bidx, int[] cand) {
        int usable = (lim + block - 1) / block;
        Arrays.fill(bbuf, 0, nbp, 0f);
        for (int c = 0; c < rank; c++) {
            FloatVector qc = FloatVector.broadcast(VectorMath.S, qlow[qo + c]);
            int hi = c * nbp, lo = (rank + c) * nbp;
            for (int b = 0; b < nbp; b += L) {
                FloatVector a = FloatVector.fromArray(VectorMath.S, kbound, hi + b).mul(qc);
                FloatVector z = FloatVector.fromArray(VectorMath.S, kbound, lo + b).mul(qc);
                a.max(z).add(FloatVector.fromArray(VectorMath.S, bbuf, b)).intoArray(bbuf, b);
            }
        }
        int nbk = Selection.topK(bbuf, 0, usable, blocks, bidx, tmp);
        nbk = addIfMissing(bidx, nbk, i / block);
        nbk = addIfMissing(bidx, nbk, 0);
        Arrays.sort(bidx, 0, nbk);
        int c = 0;
        for (int x = 0; x < nbk; x++) {
            int j0 = bidx[x] * block;
            FlashEngine.scores(qlow, qo, 1, rank, kl, ldl, j0, block, buf, c, block);
            int j1 = Math.min(lim, j0 + block);
            for (int j = j0; j < j1; j++) cand[c++] = j;
        }
        int cnt = Selection.topK(buf, 0, c, k, idx, tmp);
        for (int x = 0; x < cnt; x++) idx[x] = cand[idx[x]];
        return cnt;
    }

    /**
     * MISA for query i: route to the indexer heads whose block bounds peak highest above their mean
     * (the heads that see a few strong keys for this query), then score tokens with those heads. Equal
     * statistics (every one is 0 when the visible keys fit in one block) route the lowest-numbered heads.
     */
    private int misaRow(float[] qlow, int qo, int rank, int hd, float[] kl, int ldl, float[] kbound, int nbp, int i, int lim,
                        int ld, float[] buf, float[] hbuf, float[] tmp, float[] bbuf, int[] idx, long[] order) {
        int usable = (lim + block - 1) / block;
        for (int h = 0; h < heads; h++) {
            Arrays.fill(bbuf, 0, nbp, 0f);
            for (int c = h * hd; c < (h + 1) * hd; c++) {
                FloatVector qc = FloatVector.broadcast(VectorMath.S, qlow[qo + c]);
                int hi = c * nbp, lo = (rank + c) * nbp;
                for (int b = 0; b < nbp; b += L) {
                    FloatVector a = FloatVector.fromArray(VectorMath.S, kbound, hi + b).mul(qc);
                    FloatVector z = FloatVector.fromArray(VectorMath.S, kbound, lo + b).mul(qc);
                    a.max(z).add(FloatVector.fromArray(VectorMath.S, bbuf, b)).intoArray(bbuf, b);
                }
            }
            float mx = Float.NEGATIVE_INFINITY;
            double mean = 0;
            for (int b = 0; b < usable; b++) {
                mx = Math.max(mx, bbuf[b]);
                mean += bbuf[b];
            }
            float spread = (float) (mx - mean / usable);
            int bits = Float.floatToIntBits(spread);
            // low bits heads - 1 - h: among equal statistics the lowest-numbered head sorts last, so is routed first
            order[h] = ((long) (bits ^ ((bits >> 31) & 0x7fffffff)) << 32) | (heads - 1 - h);
        }
        Arrays.sort(order);
        Arrays.fill(buf, 0, ld, 0f);
        for (int x = 0; x < active; x++) {
            int h = heads - 1 - (int) order[heads - 1 - x];
            FlashEngine.scores(qlow, qo + h * hd, 1, hd, kl, ldl, h * hd * ldl, ld, hbuf, 0, ld);
            for (int j = 0; j < ld; j++) buf[j] += hbuf[j];
        }
        return Selection.topK(buf, 0, lim, k, idx, tmp);
    }

    private static int addIfMissing(int[] a, int n, int x) {
        for (int i = 0; i < n; i++) if (a[i] == x) return n;
        a[n] = x;
        return n + 1;
    }
}
