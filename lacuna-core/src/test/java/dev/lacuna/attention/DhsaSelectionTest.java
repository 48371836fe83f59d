// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DHSA at partial budgets against a brute force of its rule in double precision: chunks end where the
 * cosine of consecutive keys falls below its (upper) median, once min long, or at max; per query chunk,
 * key chunks are ranked by the similarity of the chunks' summed queries and keys over √ of both
 * lengths (ties to the later chunk), the query's own chunk and the first are kept, then the best chunks
 * until k keys, or until the estimated mass (mean query · mean key + log2 of the chunk length, in the
 * log2 domain) reaches the target. The kernel must keep exactly those pairs and return exact attention
 * over them. Packed ragged sequences, causal and not.
 */
class DhsaSelectionTest {
    /** Chunk boundaries of one sequence, [0, ..., n]. */
    static int[] chunks(Fixtures f, int start, int n, int head, int min, int max) {
        int d = f.headDim, col = head * d;
        double[] cos = new double[n];
        for (int j = 1; j < n; j++) {
            int a = (start + j - 1) * f.stride + col, b = (start + j) * f.stride + col;
            double ab = SelectionCheck.dot(f.k, a, f.k, b, d), aa = SelectionCheck.dot(f.k, a, f.k, a, d), bb = SelectionCheck.dot(f.k, b, f.k, b, d);
            cos[j] = ab / Math.sqrt(aa * bb + 1e-30);
        }
        double tau = 0;
        if (n > 1) {
            double[] c = Arrays.copyOfRange(cos, 1, n);
            Arrays.sort(c);
            tau = c[c.length / 2];
        }
        java.util.List<Integer> b = new java.util.ArrayList<>(java.util.List.of(0));
        int s = 0;
        for (int j = 1; j < n; j++) {
            if (j - s >= max || (j - s >= min && cos[j] < tau)) {
                b.add(j);
                s = j;
            }
        }
        b.add(n);
        return b.stream().mapToInt(Integer::intValue).toArray();
    }

    static SelectionCheck.Reference reference(int min, int max, double mass, int k, boolean causal) {
        return new SelectionCheck.Reference() {
            int cachedStart = -1;
            int[] bounds;
            boolean[][] keep; // [query chunk][key chunk]

            @Override
            public SelectionCheck.Keys keys(Fixtures f, int start, int n, int head, int i) {
                if (cachedStart != start) {
                    plan(f, start, n, head);
                    cachedStart = start;
                }
                int c = 0;
                while (bounds[c + 1] <= i) c++;
                boolean[] kc = keep[c];
                int lim = causal ? i + 1 : n;
                java.util.List<Integer> out = new java.util.ArrayList<>();
                for (int x = 0; x < kc.length; x++) if (kc[x]) for (int j = bounds[x]; j < Math.min(lim, bounds[x + 1]); j++) out.add(j);
                return SelectionCheck.Keys.exactly(out.stream().mapToInt(Integer::intValue).toArray());
            }

            void plan(Fixtures f, int start, int n, int head) {
                int d = f.headDim, col = head * d;
                bounds = chunks(f, start, n, head, min, max);
                int nc = bounds.length - 1;
                double[][] sq = new double[nc][d], sk = new double[nc][d];
                for (int c = 0; c < nc; c++) {
                    for (int j = bounds[c]; j < bounds[c + 1]; j++) {
                        for (int dd = 0; dd < d; dd++) {
                            sq[c][dd] += f.q[(start + j) * f.stride + col + dd];
                            sk[c][dd] += f.k[(start + j) * f.stride + col + dd];
                        }
                    }
                }
                double log2e = 1 / Math.log(2), qscale = f.scale * log2e;
                keep = new boolean[nc][];
                for (int c = 0; c < nc; c++) {
                    int qlen = bounds[c + 1] - bounds[c], usable = nc;
                    if (causal) while (usable > 0 && bounds[usable - 1] > bounds[c + 1] - 1) usable--;
                    double[] sim = new double[usable], est = new double[usable];
                    double mx = Double.NEGATIVE_INFINITY;
                    for (int x = 0; x < usable; x++) {
                        int klen = bounds[x + 1] - bounds[x];
                        double dot = 0;
                        for (int dd = 0; dd < d; dd++) dot += sq[c][dd] * sk[x][dd];
                        sim[x] = qscale * dot / Math.sqrt((double) qlen * klen);
                        est[x] = qscale * dot / ((double) qlen * klen) + Math.log(klen) * log2e;
                        mx = Math.max(mx, est[x]);
                    }
                    double z = 0;
                    for (int x = 0; x < usable; x++) z += Math.pow(2, est[x] - mx);
                    Integer[] order = new Integer[usable];
                    for (int x = 0; x < usable; x++) order[x] = x;
                    Arrays.sort(order, (x, y) -> sim[x] != sim[y] ? Double.compare(sim[y], sim[x]) : Integer.compare(y, x));
                    boolean[] kc = new boolean[usable];
                    kc[Math.min(c, usable - 1)] = true;
                    kc[0] = true;
                    double got = 0;
                    long keys = 0;
                    for (int x = 0; x < usable; x++) {
                        if (!kc[x]) continue;
                        keys += bounds[x + 1] - bounds[x];
                        got += Math.pow(2, est[x] - mx);
                    }
                    for (int r = 0; r < usable; r++) {
                        if (k > 0 ? keys >= k : got >= mass * z) break;
                        if (r > 0) {
                            double gap = sim[order[r - 1]] - sim[order[r]];
                            assertTrue(gap > 1e-5 * (1 + Math.abs(sim[order[r]])), "near-tie of chunk similarities, query chunk " + c);
                        }
                        int x = order[r];
                        if (kc[x]) continue;
                        kc[x] = true;
                        keys += bounds[x + 1] - bounds[x];
                        got += Math.pow(2, est[x] - mx);
                        if (k == 0) assertTrue(Math.abs(got - mass * z) > 1e-5 * z, "mass target within rounding, query chunk " + c);
                    }
                    keep[c] = kc;
                }
            }
        };
    }

    @Test
    void keepsTheBruteForceChunks() {
        int[][] lengths = {{300, 29, 130, 77}, {513}, {64, 200, 31, 96}};
        // {seed, lengths, head dim, min, max, k (0: mass), mass x 100, causal}
        int[][] cases = {{141, 0, 32, 8, 64, 40, 0, 0}, {142, 1, 32, 16, 64, 64, 0, 1}, {143, 2, 64, 8, 32, 24, 0, 0},
                {144, 0, 32, 8, 64, 0, 50, 0}, {145, 1, 32, 8, 48, 0, 60, 1}};
        for (int[] c : cases) {
            int[] lens = lengths[c[1]];
            Fixtures f = AdaSpaAttentionTest.structured(c[0], Arrays.stream(lens).sum(), 2, c[2], 1.0f, 1.5f);
            boolean causal = c[7] == 1;
            ChunkedAttention kern = new ChunkedAttention(c[3], c[4], c[6] / 100.0, c[5], causal);
            SelectionCheck.check(kern, f, 1, lens, reference(c[3], c[4], c[6] / 100.0, c[5], causal), false, "dhsa " + Arrays.toString(c));
        }
    }
}
