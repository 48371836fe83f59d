// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

/**
 * The indexer family (top-k indexer, HISA, MISA) at partial budgets against plain brute-force
 * implementations of their selection rules in double precision. The reference projects q and k with the
 * same fitted {@link IndexerProjection} (the fit is its own component, checked in DynamicMethodsTest);
 * everything after it (block bounds, routing, block filter, top-k) is recomputed here with scalar
 * loops. Per query the chosen keys must be the reference's and the output exact attention over them.
 * Several seeded shapes, sequences of ragged lengths packed back to back, causal and not.
 */
class IndexerSelectionTest {
    /** Projected queries and keys [n][rank] of one sequence, in double. */
    record Projected(double[][] q, double[][] k) {
        static Projected of(Fixtures f, int start, int n, int head, int rank, int sample) {
            int d = f.headDim, col = head * d;
            IndexerProjection p = IndexerProjection.fit(f.q, f.k, f.stride, start, n, col, d, rank, sample);
            int r = p.rank();
            double[][] q = new double[n][r], k = new double[n][r];
            float[] t = new float[r];
            for (int j = 0; j < n; j++) {
                p.project(f.q, (start + j) * f.stride + col, false, t, 0, 1f);
                for (int c = 0; c < r; c++) q[j][c] = t[c];
                p.project(f.k, (start + j) * f.stride + col, true, t, 0, 1f);
                for (int c = 0; c < r; c++) k[j][c] = t[c];
            }
            return new Projected(q, k);
        }

        /** Query i's indexer score of key j over dimensions [c0, c1). */
        double score(int i, int j, int c0, int c1) {
            double s = 0;
            for (int c = c0; c < c1; c++) s += q[i][c] * k[j][c];
            return s;
        }

        /**
         * Query i's bound on block b's best key over dimensions [c0, c1): per dimension the larger of
         * q_c x max_j k_c and q_c x min_j k_c over the block's keys (all of them, causal or not).
         */
        double bound(int i, int b, int block, int c0, int c1) {
            int n = k.length, j0 = b * block, j1 = Math.min(n, j0 + block);
            double s = 0;
            for (int c = c0; c < c1; c++) {
                double mx = Double.NEGATIVE_INFINITY, mn = Double.POSITIVE_INFINITY;
                for (int j = j0; j < j1; j++) {
                    mx = Math.max(mx, k[j][c]);
                    mn = Math.min(mn, k[j][c]);
                }
                s += Math.max(q[i][c] * mx, q[i][c] * mn);
            }
            return s;
        }
    }

    /** The kernel's block size: at least 32. */
    private static int blockOf(int block) {
        return Math.max(block, 32);
    }

    /** Top-k indexer: the k best projected scores among the visible keys. */
    static SelectionCheck.Reference flat(int dim, int k, int sample, boolean causal) {
        return new SelectionCheck.Reference() {
            Projected p;
            int pStart = -1;

            @Override
            public SelectionCheck.Keys keys(Fixtures f, int start, int n, int head, int i) {
                if (pStart != start) {
                    p = Projected.of(f, start, n, head, Math.min(dim, f.headDim), sample);
                    pStart = start;
                }
                int lim = causal ? i + 1 : n, r = p.q[0].length;
                double[] s = new double[lim];
                for (int j = 0; j < lim; j++) s[j] = p.score(i, j, 0, r);
                return SelectionCheck.topKBand(s, lim, k);
            }
        };
    }

    /**
     * HISA: the {@code blocks} best visible blocks by their bounds (ties to the lower block), plus the
     * query's own block and the first; then the k best projected scores among those blocks' visible keys.
     */
    static SelectionCheck.Reference hisa(int dim, int k, int block0, int blocks, int sample, boolean causal) {
        int block = blockOf(block0);
        return new SelectionCheck.Reference() {
            Projected p;
            int pStart = -1;

            @Override
            public SelectionCheck.Keys keys(Fixtures f, int start, int n, int head, int i) {
                if (pStart != start) {
                    p = Projected.of(f, start, n, head, Math.min(dim, f.headDim), sample);
                    pStart = start;
                }
                int lim = causal ? i + 1 : n, r = p.q[0].length, usable = (lim + block - 1) / block;
                double[] bs = new double[usable];
                for (int b = 0; b < usable; b++) bs[b] = p.bound(i, b, block, 0, r);
                boolean[] kept = new boolean[usable];
                for (int b : SelectionCheck.topK(bs, usable, blocks, "hisa blocks of row " + i)) kept[b] = true;
                kept[i / block] = true;
                kept[0] = true;
                int[] cand = new int[lim];
                int c = 0;
                for (int j = 0; j < lim; j++) if (kept[j / block]) cand[c++] = j;
                double[] s = new double[c];
                for (int x = 0; x < c; x++) s[x] = p.score(i, cand[x], 0, r);
                SelectionCheck.Keys local = SelectionCheck.topKBand(s, c, k);
                return new SelectionCheck.Keys(Arrays.stream(local.sure()).map(x -> cand[x]).toArray(),
                        Arrays.stream(local.maybe()).map(x -> cand[x]).toArray(), local.size());
            }
        };
    }

    /**
     * MISA: the projection split into {@code heads} indexer heads of dim dimensions; per query, each
     * head's router statistic is its best visible block bound minus the mean of its visible block bounds;
     * the {@code active} heads with the largest statistic are routed (ties to the lowest-numbered head),
     * and the k best keys by the sum of the routed heads' scores are kept.
     */
    static SelectionCheck.Reference misa(int dim, int k, int block0, int heads, int active, int sample, boolean causal,
                                         int[] routedTies) {
        int block = blockOf(block0);
        return new SelectionCheck.Reference() {
            Projected p;
            int pStart = -1;

            @Override
            public SelectionCheck.Keys keys(Fixtures f, int start, int n, int head, int i) {
                int hd = Math.max(1, Math.min(dim, f.headDim / heads));
                if (pStart != start) {
                    p = Projected.of(f, start, n, head, hd * heads, sample);
                    pStart = start;
                }
                int lim = causal ? i + 1 : n, usable = (lim + block - 1) / block;
                double[] spread = new double[heads];
                for (int h = 0; h < heads; h++) {
                    double mx = Double.NEGATIVE_INFINITY, mean = 0;
                    for (int b = 0; b < usable; b++) {
                        double s = p.bound(i, b, block, h * hd, (h + 1) * hd);
                        mx = Math.max(mx, s);
                        mean += s;
                    }
                    spread[h] = mx - mean / usable;
                }
                int[] routed = SelectionCheck.topK(spread, heads, active, "misa routing of row " + i);
                double[] sorted = spread.clone();
                Arrays.sort(sorted);
                if (active < heads && sorted[heads - active] == sorted[heads - active - 1]) routedTies[0]++;
                double[] s = new double[lim];
                for (int j = 0; j < lim; j++) for (int h : routed) s[j] += p.score(i, j, h * hd, (h + 1) * hd);
                return SelectionCheck.topKBand(s, lim, k);
            }
        };
    }

    private static final int[][] LENGTHS = {{300, 29, 130, 77}, {513}, {64, 200, 31, 96}};

    private static int[] lengths(int shape) {
        return LENGTHS[shape % LENGTHS.length];
    }

    @Test
    void misaRoutesAndSelectsAsTheBruteForce() {
        // {seed, shape, head dim, indexer dim, heads, active, k, block, causal}
        int[][] cases = {{81, 0, 32, 8, 4, 2, 16, 32, 0}, {82, 1, 32, 4, 4, 1, 40, 64, 1}, {83, 2, 64, 8, 4, 2, 12, 32, 0},
                {84, 0, 32, 4, 8, 3, 20, 32, 1}};
        int ties = 0;
        for (int[] c : cases) {
            int[] lens = lengths(c[1]);
            Fixtures f = new Fixtures(c[0], Arrays.stream(lens).sum(), 2, c[2], 1.5f);
            boolean causal = c[8] == 1;
            int sample = 256;
            IndexerAttention kern = new IndexerAttention(IndexerAttention.Mode.MIXTURE, c[3], c[6], 0, c[7], 0, c[4], c[5], sample, causal);
            int[] routedTies = new int[1];
            SelectionCheck.check(kern, f, 1, lens, misa(c[3], c[6], c[7], c[4], c[5], sample, causal, routedTies), true,
                    "misa " + Arrays.toString(c));
            ties += routedTies[0];
        }
        // rows whose visible keys fit in one block have every router statistic 0: the tie rule decides
        org.junit.jupiter.api.Assertions.assertTrue(ties > 0, "the fixtures exercise tied routing");
    }

    @Test
    void hisaFiltersBlocksAndSelectsAsTheBruteForce() {
        // {seed, shape, head dim, indexer dim, k, block, blocks, causal}
        int[][] cases = {{91, 0, 32, 16, 16, 32, 2, 0}, {92, 1, 32, 8, 40, 64, 3, 1}, {93, 2, 64, 16, 12, 32, 1, 0},
                {94, 0, 32, 32, 24, 32, 3, 1}};
        for (int[] c : cases) {
            int[] lens = lengths(c[1]);
            Fixtures f = new Fixtures(c[0], Arrays.stream(lens).sum(), 2, c[2], 1.5f);
            boolean causal = c[7] == 1;
            int sample = 256;
            IndexerAttention kern = new IndexerAttention(IndexerAttention.Mode.HIERARCHICAL, c[3], c[4], 0, c[5], c[6], 1, 1, sample, causal);
            SelectionCheck.check(kern, f, 1, lens, hisa(c[3], c[4], c[5], c[6], sample, causal), true, "hisa " + Arrays.toString(c));
        }
    }

    @Test
    void indexerTopKSelectsAsTheBruteForce() {
        // {seed, shape, head dim, indexer dim, k, causal}
        int[][] cases = {{101, 0, 32, 16, 16, 0}, {102, 1, 32, 8, 64, 1}, {103, 2, 64, 32, 12, 0}, {104, 0, 32, 32, 30, 1}};
        for (int[] c : cases) {
            int[] lens = lengths(c[1]);
            Fixtures f = new Fixtures(c[0], Arrays.stream(lens).sum(), 2, c[2], 1.5f);
            boolean causal = c[5] == 1;
            int sample = 256;
            IndexerAttention kern = new IndexerAttention(IndexerAttention.Mode.FLAT, c[3], c[4], 0, 64, 0, 1, 1, sample, causal);
            SelectionCheck.check(kern, f, 1, lens, flat(c[3], c[4], sample, causal), true, "indexer " + Arrays.toString(c));
        }
    }
}
