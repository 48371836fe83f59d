// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RTPurbo's dynamic top-p through the token indexer ({@code indexer} with p > 0), at a partial budget,
 * against a plain brute-force implementation of the rule: per query, the fewest keys whose softmax
 * mass reaches p, largest first. With a full-rank indexer its scores are the attention scores up to a
 * per-query constant, so the chosen set must be the brute force's on exact scores, and the output
 * exact attention restricted to that set; a low-rank indexer keeps far more attention mass than its
 * share of the keys. Seeded shapes, ragged lengths.
 */
class IndexerTopPTest {
    /** The brute-force top-p set of row i over exact scaled scores: [n] true where kept. */
    static boolean[] bruteForce(Fixtures f, int i, double p) {
        int n = f.length, d = f.headDim;
        double[] w = new double[n];
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int c = 0; c < d; c++) s += (double) f.q[(f.start + i) * f.stride + c] * f.k[(f.start + j) * f.stride + c];
            w[j] = s * f.scale;
            mx = Math.max(mx, w[j]);
        }
        double z = 0;
        for (int j = 0; j < n; j++) z += w[j] = Math.exp(w[j] - mx);
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        Arrays.sort(order, (a, b) -> Double.compare(w[b], w[a]));
        boolean[] keep = new boolean[n];
        double cum = 0;
        for (int x = 0; x < n && cum < p * z; x++) {
            keep[order[x]] = true;
            cum += w[order[x]];
        }
        return keep;
    }

    @Test
    void fullRankIndexerTopPChoosesTheBruteForceSet() {
        double p = 0.9;
        for (int[] shape : new int[][] {{41, 300}, {42, 77}, {43, 513}}) {
            Fixtures f = new Fixtures(shape[0], shape[1], 1, 32, 2.5f);
            int n = f.length;
            boolean[][] sel = new boolean[n][];
            long want = 0;
            for (int i = 0; i < n; i++) {
                sel[i] = bruteForce(f, i, p);
                for (boolean b : sel[i]) if (b) want++;
            }
            assertTrue(want < 0.5 * (long) n * n, "a partial budget: " + want + " of " + (long) n * n);
            IndexerAttention indexer = new IndexerAttention(IndexerAttention.Mode.FLAT, 32, 1, p, 64, 0, 1, 1, n, false);
            long kept = indexer.attendRows(f.q, f.k, f.v, new float[f.q.length], f.stride, f.start, n, 0, 32, f.scale,
                    new float[Math.max(1, indexer.scratchSize(n, 32))], 0, n, new float[n]);
            assertEquals(want, kept, "n " + n + ": keys kept vs brute force");
            AttentionMask m = (i, j, len) -> sel[i][j];
            double err = f.maxDiff(f.run(new DenseAttention(m, false), 0), f.run(indexer, 0), 0);
            assertTrue(err < 1e-4, "n " + n + ": output vs exact attention on the brute-force set, max error " + err);
        }
    }

    @Test
    void lowRankIndexerTopPKeepsFarMoreMassThanItsShareOfKeys() {
        Fixtures f = new Fixtures(44, 400, 1, 32, 2.5f);
        int n = f.length;
        float[] exact = f.lse(new FlashAttention(), 0);
        IndexerAttention indexer = new IndexerAttention(IndexerAttention.Mode.FLAT, 8, 1, 0.9, 64, 0, 1, 1, n, false);
        float[] lse = new float[n];
        long kept = indexer.attendRows(f.q, f.k, f.v, new float[f.q.length], f.stride, f.start, n, 0, 32, f.scale,
                new float[Math.max(1, indexer.scratchSize(n, 32))], 0, n, lse);
        assertTrue(kept < 0.5 * n * n && kept >= n, "kept " + kept);
        double mass = 0;
        for (int i = 0; i < n; i++) mass += Math.exp(lse[i] - exact[i]);
        // rank 8 of 32 on unstructured random q/k ranks keys only roughly, so the exact attention mass kept is
        // under p; but far above what a random choice of as many keys keeps (its share of the keys)
        double share = (double) kept / ((long) n * n);
        assertTrue(mass / n > 2.5 * share, "mean exact mass kept " + mass / n + " with a share " + share + " of the keys");
    }
}
