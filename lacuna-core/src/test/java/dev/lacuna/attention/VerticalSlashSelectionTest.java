// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MInference's dynamic vertical-slash pattern at partial budgets against a brute force of its rule in
 * double precision: evenly spaced sample queries (row (2x + 1) n / (2 samples)), their exact softmax
 * over the visible keys summed per column and per diagonal offset j - i; the {@code verticals} heaviest
 * columns and {@code slashes} heaviest offsets (plus offset 0) are kept; a row attends the kept columns
 * and, per offset o, the key block j - o in its query block of {@code tile} rows. The kernel must keep
 * exactly those pairs and return exact attention over them. Packed ragged sequences, causal and not.
 */
class VerticalSlashSelectionTest {
    static SelectionCheck.Reference reference(int verticals, int slashes, int samples, boolean causal, int tile) {
        return new SelectionCheck.Reference() {
            int cachedStart = -1;
            boolean[] isCol;
            int[] offs;

            @Override
            public SelectionCheck.Keys keys(Fixtures f, int start, int n, int head, int i) {
                if (cachedStart != start) {
                    estimate(f, start, n, head);
                    cachedStart = start;
                }
                int lim = causal ? i + 1 : n;
                long b0 = (long) i / tile * tile;
                return SelectionCheck.Keys.exactly(java.util.stream.IntStream.range(0, lim).filter(j -> {
                    if (isCol[j]) return true;
                    for (int o : offs) if (j - o >= b0 && j - o < b0 + tile) return true;
                    return false;
                }).toArray());
            }

            void estimate(Fixtures f, int start, int n, int head) {
                int d = f.headDim, col = head * d, ns = Math.min(samples, n);
                double[] colMass = new double[n], diagMass = new double[2 * n - 1];
                for (int x = 0; x < ns; x++) {
                    int i = (int) ((2L * x + 1) * n / (2L * ns)), lim = causal ? i + 1 : n;
                    double[] s = new double[lim];
                    double mx = Double.NEGATIVE_INFINITY, z = 0;
                    for (int j = 0; j < lim; j++) {
                        s[j] = SelectionCheck.dot(f.q, (start + i) * f.stride + col, f.k, (start + j) * f.stride + col, d) * f.scale;
                        mx = Math.max(mx, s[j]);
                    }
                    for (int j = 0; j < lim; j++) z += s[j] = Math.exp(s[j] - mx);
                    for (int j = 0; j < lim; j++) {
                        colMass[j] += s[j] / z;
                        diagMass[j - i + n - 1] += s[j] / z;
                    }
                }
                isCol = new boolean[n];
                for (int j : heaviest(colMass, Math.min(verticals, n), "columns")) isCol[j] = true;
                int[] o = heaviest(diagMass, Math.min(slashes, 2 * n - 1), "offsets");
                offs = Arrays.copyOf(o, o.length + 1);
                for (int x = 0; x < o.length; x++) offs[x] -= n - 1;
                offs[o.length] = 0;
            }
        };
    }

    /** The c heaviest of a, which must be separated from the rest by more than the kernel's rounding. */
    private static int[] heaviest(double[] a, int c, String what) {
        if (c >= a.length) return java.util.stream.IntStream.range(0, a.length).toArray();
        Integer[] order = new Integer[a.length];
        for (int j = 0; j < a.length; j++) order[j] = j;
        Arrays.sort(order, (x, y) -> Double.compare(a[y], a[x]));
        double t = a[order[c - 1]], u = a[order[c]];
        assertTrue(t - u > 1e-4 * t, "near-tie of " + what + " masses at the cut: " + t + " vs " + u);
        int[] out = new int[c];
        for (int x = 0; x < c; x++) out[x] = order[x];
        return out;
    }

    @Test
    void keepsTheBruteForcePattern() {
        int[][] lengths = {{300, 29, 130, 77}, {513}, {64, 200, 31, 96}};
        // {seed, lengths, head dim, verticals, slashes, samples, tile, causal}
        int[][] cases = {{131, 0, 32, 8, 3, 16, 32, 0}, {132, 1, 32, 16, 4, 64, 64, 1}, {133, 2, 64, 6, 2, 24, 32, 0},
                {134, 0, 32, 10, 3, 32, 32, 1}};
        for (int[] c : cases) {
            int[] lens = lengths[c[1]];
            Fixtures f = AdaSpaAttentionTest.structured(c[0], Arrays.stream(lens).sum(), 2, c[2], 1.0f, 1.5f);
            boolean causal = c[7] == 1;
            VerticalSlashAttention kern = new VerticalSlashAttention(c[3], c[4], c[5], causal, c[6]);
            SelectionCheck.check(kern, f, 1, lens, reference(c[3], c[4], c[5], causal, c[6]), false, "vertical-slash " + Arrays.toString(c));
        }
    }
}
