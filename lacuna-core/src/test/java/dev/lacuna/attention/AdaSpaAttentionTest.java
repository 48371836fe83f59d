// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AdaSpa's search and selection at partial budgets against a plain brute force in double precision:
 * the full softmax of every row, each key block's mean probability mass over the rows of a query block,
 * the fewest blocks (largest first) reaching the mass target. The kernel must keep exactly those pairs
 * and return exact attention restricted to them. Seeded shapes, ragged lengths, causal and not.
 */
class AdaSpaAttentionTest {
    /** keep[i][j]: whether row i attends key j under AdaSpa's rule, computed the slow way. */
    static boolean[][] bruteForce(Fixtures f, int head, int block, double target, boolean causal) {
        int n = f.length, d = f.headDim, c0 = head * d;
        double[][] p = new double[n][n];
        for (int i = 0; i < n; i++) {
            int visible = causal ? i + 1 : n;
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < visible; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) s += (double) f.q[(f.start + i) * f.stride + c0 + c] * f.k[(f.start + j) * f.stride + c0 + c];
                p[i][j] = s * f.scale;
                mx = Math.max(mx, p[i][j]);
            }
            double z = 0;
            for (int j = 0; j < visible; j++) z += p[i][j] = Math.exp(p[i][j] - mx);
            for (int j = 0; j < visible; j++) p[i][j] /= z;
        }
        int nb = (n + block - 1) / block;
        boolean[][] keep = new boolean[n][n];
        for (int qb = 0; qb * block < n; qb++) {
            int r0 = qb * block, r1 = Math.min(n, r0 + block);
            int usable = causal ? (r1 - 1) / block + 1 : nb;
            double[] m = new double[usable];
            for (int i = r0; i < r1; i++) for (int j = 0; j < Math.min(n, usable * block); j++) m[j / block] += p[i][j] / (r1 - r0);
            Integer[] order = new Integer[usable];
            for (int b = 0; b < usable; b++) order[b] = b;
            Arrays.sort(order, (x, y) -> m[x] != m[y] ? Double.compare(m[y], m[x]) : Integer.compare(x, y));
            double got = 0;
            for (int x = 0; x < usable && (x == 0 || got < target); x++) {
                int b = order[x];
                got += m[b];
                for (int i = r0; i < r1; i++) {
                    for (int j = b * block; j < Math.min(n, (b + 1) * block); j++) keep[i][j] = !causal || j <= i;
                }
            }
        }
        return keep;
    }

    /**
     * Random q/k with block structure, as attention maps have it: a shared direction u is added to every
     * query, and to the keys of each group of 32 with a seeded amplitude (a few groups large), so that
     * some key blocks draw most of the mass. Random keys alone spread it evenly over the blocks.
     */
    static Fixtures structured(long seed, int n, int heads, int d, float spread, float amplitude) {
        Fixtures f = new Fixtures(seed, n, heads, d, spread);
        java.util.Random r = new java.util.Random(seed * 31 + 7);
        float[] u = new float[d];
        for (int c = 0; c < d; c++) u[c] = (float) r.nextGaussian();
        int groups = (n + 31) / 32;
        float[] a = new float[groups];
        for (int g = 0; g < groups; g++) a[g] = (float) (amplitude * Math.pow(r.nextDouble(), 4));
        for (int t = 0; t < n; t++) {
            for (int h = 0; h < heads; h++) {
                for (int c = 0; c < d; c++) {
                    int i = (f.start + t) * f.stride + h * d + c;
                    f.q[i] += u[c];
                    f.k[i] += a[t / 32] * u[c];
                }
            }
        }
        return f;
    }

    @Test
    void keepsTheBruteForceBlocksAtPartialBudgets() {
        // {seed, length, head dim, block, causal}; mass targets well below 1
        int[][] shapes = {{51, 300, 32, 32, 0}, {52, 77, 32, 32, 0}, {53, 513, 64, 64, 0}, {54, 257, 32, 64, 1}, {55, 1, 32, 32, 0},
                {56, 230, 64, 32, 1}};
        for (int[] s : shapes) {
            for (double target : new double[] {0.5, 0.8}) {
                Fixtures f = structured(s[0], s[1], 2, s[2], 1.0f, 1.5f);
                boolean causal = s[4] == 1;
                int head = 1, n = f.length;
                boolean[][] sel = bruteForce(f, head, s[3], target, causal);
                long want = 0;
                for (boolean[] row : sel) for (boolean b : row) if (b) want++;
                String what = "n " + n + " D " + s[2] + " B " + s[3] + (causal ? " causal" : "") + " mass " + target;
                if (n >= 128) assertTrue(want < 0.7 * (causal ? n * (n + 1) / 2.0 : (double) n * n), what + ": a partial budget, " + want);
                AdaSpaAttention kernel = new AdaSpaAttention(s[3], target, causal);
                float[] out = new float[f.q.length];
                long kept = kernel.attendRows(f.q, f.k, f.v, out, f.stride, f.start, n, head * s[2], s[2], f.scale, new float[1], 0, n, null);
                assertEquals(want, kept, what + ": pairs kept vs brute force");
                AttentionMask m = (i, j, len) -> sel[i][j];
                double err = f.maxDiff(f.run(new DenseAttention(m, causal), head), f.run(kernel, head), head);
                assertTrue(err < 1e-4, what + ": output vs exact attention on the brute-force set, max error " + err);
            }
        }
    }

    @Test
    void aConcentratedHeadKeepsFewerBlocksThanADiffuseOne() {
        // head-adaptive: one mass target, a different number of blocks per head. Larger q/k spread
        // sharpens the softmax (a concentrated head); small spread flattens it.
        int n = 512;
        AdaSpaAttention kernel = new AdaSpaAttention(64, 0.9, false);
        Fixtures sharp = structured(61, n, 1, 32, 1.0f, 2.0f), flat = structured(61, n, 1, 32, 1.0f, 0.2f);
        long keptSharp = kernel.attendRows(sharp.q, sharp.k, sharp.v, new float[sharp.q.length], sharp.stride, sharp.start, n, 0, 32,
                sharp.scale, new float[1], 0, n, null);
        long keptFlat = kernel.attendRows(flat.q, flat.k, flat.v, new float[flat.q.length], flat.stride, flat.start, n, 0, 32,
                flat.scale, new float[1], 0, n, null);
        assertTrue(keptSharp < 0.6 * keptFlat, "sharp head " + keptSharp + " pairs, flat head " + keptFlat);
    }

    @Test
    void isDeclaredWithItsParametersAndFullMassIsDense() {
        MethodSpec spec = MethodSpec.parse("adaspa", Map.of("mass", "1.0", "block", "32"));
        Fixtures f = new Fixtures(71, 200, 1, 32, 2.0f);
        double err = f.maxDiff(f.run(new FlashAttention(), 0), f.run(spec.kernel(), 0), 0);
        assertTrue(err < 1e-5, "mass 1 keeps every block: " + err);
        assertEquals(0.5 + 0.25, spec.relativeFlops(0.25, 200, 32), 1e-12, "its search pays every exact score");
    }
}
