// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Block top-k at partial budgets (a few key blocks, or a mass target well below 1) against a brute force
 * of its rule in double precision: per query block, the mean query; each key block's estimate (the
 * log-sum-exp of the mean query's scores over the block's keys, or the mean query times the mean key plus
 * log of the block's size); the k best blocks, or the fewest best reaching the mass target, plus the
 * local and sink blocks. The kernel must keep exactly those pairs (count) and return exact attention
 * over them. Packed sequences of ragged lengths, both estimators, causal and not.
 */
class BlockTopKSelectionTest {
    static SelectionCheck.Reference reference(int block, int k, double mass, int local, boolean sink, boolean causal,
                                              BlockTopKAttention.Estimator est) {
        return new SelectionCheck.Reference() {
            int cachedStart = -1, cachedQb = -1;
            boolean[] keep;

            @Override
            public SelectionCheck.Keys keys(Fixtures f, int start, int n, int head, int i) {
                int qb = i / block;
                if (cachedStart != start || cachedQb != qb) {
                    keep = blocks(f, start, n, head, qb);
                    cachedStart = start;
                    cachedQb = qb;
                }
                int lim = causal ? i + 1 : n;
                return SelectionCheck.Keys.exactly(java.util.stream.IntStream.range(0, lim).filter(j -> keep[j / block]).toArray());
            }

            boolean[] blocks(Fixtures f, int start, int n, int head, int qb) {
                int d = f.headDim, col = head * d, nb = (n + block - 1) / block;
                int r0 = qb * block, r1 = Math.min(n, r0 + block);
                double[] qbar = new double[d];
                for (int r = r0; r < r1; r++) for (int c = 0; c < d; c++) qbar[c] += f.q[(start + r) * f.stride + col + c] / (double) (r1 - r0);
                double log2e = 1 / Math.log(2);
                double[] est2 = new double[nb]; // log2 domain, as the kernel
                for (int b = 0; b < nb; b++) {
                    int j0 = b * block, j1 = Math.min(n, j0 + block);
                    if (est == BlockTopKAttention.Estimator.QUERY) {
                        double[] s = new double[j1 - j0];
                        double mx = Double.NEGATIVE_INFINITY, z = 0;
                        for (int j = j0; j < j1; j++) {
                            double t = 0;
                            for (int c = 0; c < d; c++) t += qbar[c] * f.k[(start + j) * f.stride + col + c];
                            s[j - j0] = t * f.scale * log2e;
                            mx = Math.max(mx, s[j - j0]);
                        }
                        for (double x : s) z += Math.pow(2, x - mx);
                        est2[b] = mx + Math.log(z) * log2e;
                    } else {
                        double t = 0;
                        for (int c = 0; c < d; c++) {
                            double kbar = 0;
                            for (int j = j0; j < j1; j++) kbar += f.k[(start + j) * f.stride + col + c];
                            t += qbar[c] * kbar / (j1 - j0);
                        }
                        est2[b] = t * f.scale * log2e + Math.log(j1 - j0) * log2e;
                    }
                }
                int usable = causal ? (r1 - 1) / block + 1 : nb;
                boolean[] keep = new boolean[nb];
                if (local >= 0) for (int b = Math.max(0, qb - local); b <= Math.min(usable - 1, qb + local); b++) keep[b] = true;
                if (sink) keep[0] = true;
                Integer[] order = new Integer[usable];
                for (int b = 0; b < usable; b++) order[b] = b;
                // best first; equal estimates: the kernel sorts (estimate, block) ascending and reads from the top
                Arrays.sort(order, (x, y) -> est2[x] != est2[y] ? Double.compare(est2[y], est2[x]) : Integer.compare(y, x));
                double mx = est2[order[0]], z = 0;
                for (int b = 0; b < usable; b++) z += Math.pow(2, est2[b] - mx);
                double got = 0;
                for (int x = 0; x < usable; x++) {
                    if (x > 0) {
                        double gap = est2[order[x - 1]] - est2[order[x]];
                        assertTrue(gap == 0 || gap > 1e-5 * (1 + Math.abs(est2[order[x]])), "near-tie of block estimates at query block " + qb);
                    }
                    if (k > 0 ? x >= k : got >= mass * z) break;
                    if (k == 0) assertTrue(Math.abs(got + Math.pow(2, est2[order[x]] - mx) - mass * z) > 1e-5 * z,
                            "the mass target is within rounding of a cumulative sum at query block " + qb);
                    keep[order[x]] = true;
                    got += Math.pow(2, est2[order[x]] - mx);
                }
                return keep;
            }
        };
    }

    @Test
    void keepsTheBruteForceBlocks() {
        int[][] lengths = {{300, 29, 130, 77}, {513}, {64, 200, 31, 96}};
        // {seed, lengths, head dim, block, k (0: mass), mass x 100, local, sink, causal, estimator (0 query, 1 mean)}
        int[][] cases = {{111, 0, 32, 32, 2, 0, -1, 0, 0, 0}, {112, 1, 32, 64, 2, 0, 0, 1, 1, 0}, {113, 2, 64, 32, 2, 0, -1, 0, 0, 1},
                {114, 0, 32, 32, 0, 50, -1, 0, 0, 0}, {115, 1, 32, 32, 0, 70, 1, 1, 1, 1}, {116, 2, 32, 32, 1, 0, 1, 0, 1, 0}};
        for (int[] c : cases) {
            int[] lens = lengths[c[1]];
            Fixtures f = AdaSpaAttentionTest.structured(c[0], Arrays.stream(lens).sum(), 2, c[2], 1.0f, 1.5f);
            boolean causal = c[8] == 1;
            BlockTopKAttention.Estimator est = c[9] == 0 ? BlockTopKAttention.Estimator.QUERY : BlockTopKAttention.Estimator.MEAN;
            BlockTopKAttention kern = new BlockTopKAttention(c[3], c[4], c[5] / 100.0, c[6], c[7] == 1, causal, est);
            SelectionCheck.check(kern, f, 1, lens, reference(c[3], c[4], c[5] / 100.0, c[6], c[7] == 1, causal, est), false,
                    "block-topk " + Arrays.toString(c));
        }
    }
}
