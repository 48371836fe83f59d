// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import java.util.Arrays;

/**
 * The classification of a head's dense attention probability map ({@link dev.lacuna.attention.AttentionProbabilities})
 * into the shapes Sparse-vDiT (Chen et al., 2025) and MInference (Jiang et al., 2024) name:
 * diagonal (local), vertical (stripes on a few keys), global (stripes on the sequence's first or last
 * token: [CLS] / [SEP] sinks), block (broad local neighbourhoods) and diffuse (none of these).
 */
public final class AttentionMaps {
    private AttentionMaps() {}

    /**
     * The shape of a head's attention map: where its mass lies, averaged over queries (and sequences when merged).
     *
     * @param diagonal mass on keys with |i - j| <= 2
     * @param block    mass on keys with 2 < |i - j| <= 16
     * @param vertical mass on the 3 most attended key columns other than the first and last token
     * @param global   mass on the first and last token
     * @param entropy  mean row entropy divided by ln(N): 1 is uniform
     * @param kind     diagonal, block, vertical, global or diffuse
     */
    public record HeadShape(double diagonal, double block, double vertical, double global, double entropy, String kind) {
        /** Averages of several sequences' statistics, reclassified. */
        public static HeadShape mean(java.util.List<HeadShape> shapes) {
            double d = 0, b = 0, v = 0, g = 0, e = 0;
            for (HeadShape p : shapes) {
                d += p.diagonal;
                b += p.block;
                v += p.vertical;
                g += p.global;
                e += p.entropy;
            }
            int n = Math.max(1, shapes.size());
            return of(d / n, b / n, v / n, g / n, e / n);
        }

        /**
         * The largest of the four shapes names the head when it holds at least 30% of the mass and the
         * rows are not near-uniform (normalised entropy below 0.85); otherwise the head is diffuse.
         */
        static HeadShape of(double diagonal, double block, double vertical, double global, double entropy) {
            String kind = "diagonal";
            double best = diagonal;
            if (block > best) {
                kind = "block";
                best = block;
            }
            if (vertical > best) {
                kind = "vertical";
                best = vertical;
            }
            if (global > best) {
                kind = "global";
                best = global;
            }
            if (best < 0.3 || entropy > 0.85) kind = "diffuse";
            return new HeadShape(diagonal, block, vertical, global, entropy, kind);
        }
    }

    /** Classifies one map p [n, n]. */
    public static HeadShape classify(float[] p, int n) {
        double diag = 0, block = 0, edge = 0, ent = 0;
        double[] colMass = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = p[i * n + j];
                int dist = Math.abs(i - j);
                if (dist <= 2) diag += x;
                else if (dist <= 16) block += x;
                if (j == 0 || j == n - 1) edge += x;
                else colMass[j] += x;
                if (x > 0) ent -= x * Math.log(x);
            }
        }
        double[] sorted = colMass.clone();
        Arrays.sort(sorted);
        double vert = 0;
        for (int t = 0; t < 3 && t < n; t++) vert += sorted[n - 1 - t];
        return HeadShape.of(diag / n, block / n, vert / n, edge / n, n > 1 ? ent / n / Math.log(n) : 0);
    }

    /**
     * Adds map p [n, n]'s mass per diagonal offset o = j - i to {@code mass} [2 * maxN - 1] (index
     * o + maxN - 1), summed over queries: the statistic the multi-diagonal pattern is found from.
     */
    public static void addOffsetMass(float[] p, int n, double[] mass, int maxN) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) mass[j - i + maxN - 1] += p[i * n + j];
        }
    }

    /**
     * The offsets of the {@code count} diagonal bands |j - i - o| <= width that hold the most mass
     * (from {@link #addOffsetMass}), chosen greedily: the heaviest band, then the heaviest band that does
     * not overlap one already chosen, ...; ties go to the smaller |o|, then the smaller o. Sorted
     * ascending. Sparse-vDiT's multi-diagonal pattern (Chen et al., 2025), found per head from its
     * captured attention maps.
     */
    public static int[] heaviestDiagonals(double[] mass, int maxN, int count, int width) {
        int len = mass.length;
        double[] band = new double[len];
        for (int x = 0; x < len; x++) {
            for (int y = Math.max(0, x - width); y <= Math.min(len - 1, x + width); y++) band[x] += mass[y];
        }
        boolean[] blocked = new boolean[len];
        int[] out = new int[count];
        int found = 0;
        for (; found < count; found++) {
            int best = -1;
            for (int x = 0; x < len; x++) {
                if (blocked[x] || band[x] <= 0) continue;
                if (best < 0 || band[x] > band[best] || band[x] == band[best] && closer(x - maxN + 1, best - maxN + 1)) best = x;
            }
            if (best < 0) break;
            out[found] = best - maxN + 1;
            for (int y = Math.max(0, best - 2 * width); y <= Math.min(len - 1, best + 2 * width); y++) blocked[y] = true;
        }
        int[] r = Arrays.copyOf(out, found);
        Arrays.sort(r);
        return r;
    }

    private static boolean closer(int a, int b) {
        return Math.abs(a) < Math.abs(b) || Math.abs(a) == Math.abs(b) && a < b;
    }
}
