// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.LacunaException;
import dev.lacuna.tensor.FloatTensor;

import java.util.Arrays;

/**
 * The selection step every pruning method shares: from a score per weight (higher = more important)
 * to the kept set, honouring the pattern and the exact count of zeros. Ties are broken by position
 * (the earlier weight is pruned first), so selection is deterministic. {@link #pruneByMagnitude} is
 * magnitude pruning of a whole tensor (the kernel benchmark and the kernel tests use it); the pruners
 * in {@code prune} add calibration-aware scores.
 *
 * <p>Shapes: scores [N, K] row-major, N outputs, K inputs. Where m does not divide K or R x C does
 * not tile [N, K] (only outside {@code prune}, which checks its layers first), a last partial group of
 * r &lt; m inputs keeps min(n, r) and edge blocks are partial.
 */
public final class MaskSelection {
    /** Which weights compete with each other for unstructured sparsity. */
    public enum Group {
        /** The whole matrix (magnitude, random, SparseGPT). */
        LAYER,
        /** Each output row (Wanda, Sun et al. 2023, section 3: "per output" comparison group). */
        ROW
    }

    private MaskSelection() {}

    /**
     * A copy of {@code weight} [N, K] with the entries of least |w| set to zero so that it follows
     * {@code pattern} at {@code sparsity} ({@link #byMagnitude}).
     *
     * @param sparsity in [0, 1]; for N:M it must be 1 - n/m
     */
    public static FloatTensor pruneByMagnitude(FloatTensor weight, SparsityPattern pattern, double sparsity) {
        if (weight.rank() != 2) throw new LacunaException("prune: weight must be [N, K], got " + weight.shapeString());
        if (!(sparsity >= 0 && sparsity <= 1)) throw new LacunaException("prune: sparsity must be in [0, 1], got " + sparsity);
        if (pattern instanceof SparsityPattern.NofM p && Math.abs(p.sparsity() - sparsity) > 1e-9) {
            throw new LacunaException("prune: pattern " + p + " fixes sparsity at " + p.sparsity() + ", got " + sparsity);
        }
        int n = weight.dim(0), k = weight.dim(1);
        float[] w = weight.data().clone();
        boolean[] kept = byMagnitude(w, n, k, pattern, sparsity);
        for (int i = 0; i < w.length; i++) if (!kept[i]) w[i] = 0f;
        return new FloatTensor(new int[] {n, k}, w);
    }

    /** Magnitude pruning: score = |W| [N, K], compared across the whole layer. */
    public static boolean[] byMagnitude(float[] w, int n, int k, SparsityPattern pattern, double sparsity) {
        double[] s = new double[w.length];
        for (int i = 0; i < w.length; i++) s[i] = Math.abs(w[i]);
        return select(s, n, k, pattern, sparsity, Group.LAYER);
    }

    /** Zeros for sparsity {@code s} of {@code total} weights: round(s * total). */
    public static long zeros(double s, long total) {
        return Math.round(s * total);
    }

    /**
     * The kept flags [N, K] (true = kept) of the highest scores under {@code pattern}. For unstructured
     * and block patterns the number of pruned weights (blocks) is exactly round(sparsity * count); N:M
     * ignores {@code sparsity}.
     */
    public static boolean[] select(double[] scores, int n, int k, SparsityPattern pattern, double sparsity, Group group) {
        if (scores.length != (long) n * k) throw new IllegalArgumentException("scores have " + scores.length + " values, [" + n + ", " + k + "] needs " + (long) n * k);
        boolean[] kept = new boolean[scores.length];
        switch (pattern) {
            case SparsityPattern.Unstructured u -> {
                long z = zeros(sparsity, (long) n * k);
                if (group == Group.ROW) pruneLowestPerRow(scores, n, k, z, kept);
                else pruneLowest(scores, z, kept);
            }
            case SparsityPattern.NofM nm -> pruneNofM(scores, n, k, nm.n(), nm.m(), 0, k, kept);
            case SparsityPattern.Block b -> pruneBlocks(scores, n, k, b.rows(), b.cols(), zeros(sparsity, blocks(n, b.rows()) * blocks(k, b.cols())), kept);
        }
        return kept;
    }

    /** Blocks of side {@code b} along {@code len}, the last one partial: ceil(len / b). */
    private static long blocks(int len, int b) {
        return (len + b - 1) / b;
    }

    /** kept[i] = true for all but the {@code z} lowest of {@code scores}. */
    public static void pruneLowest(double[] scores, long z, boolean[] kept) {
        int len = scores.length;
        if (z > len) throw new IllegalArgumentException("cannot prune " + z + " of " + len);
        Arrays.fill(kept, 0, len, true);
        if (z == 0) return;
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double t = sorted[(int) z - 1];
        long left = z;
        for (int i = 0; i < len; i++) {
            if (scores[i] < t) {
                kept[i] = false;
                left--;
            }
        }
        for (int i = 0; i < len && left > 0; i++) {
            if (scores[i] == t) {
                kept[i] = false;
                left--;
            }
        }
    }

    /**
     * Prunes {@code z} weights in all, compared within each row: every row loses floor(z / N) and the
     * z mod N rows whose next candidate scores lowest lose one more, so the total is exact.
     */
    static void pruneLowestPerRow(double[] scores, int n, int k, long z, boolean[] kept) {
        if (n == 0) return;
        int base = (int) (z / n);
        int extra = (int) (z - (long) base * n);
        double[] next = new double[n]; // score of each row's (base+1)-th lowest weight
        double[] row = new double[k];
        for (int r = 0; r < n; r++) {
            System.arraycopy(scores, r * k, row, 0, k);
            Arrays.sort(row);
            next[r] = base < k ? row[base] : Double.POSITIVE_INFINITY;
        }
        boolean[] more = new boolean[n];
        if (extra > 0) pruneLowest(next, extra, more);
        // pruneLowest marks the rows that keep their "next" weight; the others prune it
        double[] rs = new double[k];
        boolean[] rk = new boolean[k];
        for (int r = 0; r < n; r++) {
            int zr = base + (extra > 0 && !more[r] ? 1 : 0);
            System.arraycopy(scores, r * k, rs, 0, k);
            pruneLowest(rs, zr, rk);
            System.arraycopy(rk, 0, kept, r * k, k);
        }
    }

    /**
     * Within columns [c0, c1) of each row, prunes the m - n lowest of every m consecutive inputs (of
     * a last partial group of r inputs, the r - n lowest if r &gt; n). {@code scores} may be a column
     * slice: it is [rows, ld] with the slice starting at column c0.
     */
    public static void pruneNofM(double[] scores, int rows, int ld, int n, int m, int c0, int c1, boolean[] kept) {
        int[] idx = new int[m];
        for (int r = 0; r < rows; r++) {
            int o = r * ld;
            for (int g = c0; g < c1; g += m) {
                int width = Math.min(m, c1 - g);
                int drop = Math.max(0, width - n);
                for (int j = 0; j < width; j++) {
                    idx[j] = g + j;
                    kept[o + g + j] = true;
                }
                // selection sort of the drop lowest, ties to the earlier input
                for (int a = 0; a < drop; a++) {
                    int best = a;
                    for (int b = a + 1; b < width; b++) {
                        double sb = scores[o + idx[b]], sbest = scores[o + idx[best]];
                        if (sb < sbest || (sb == sbest && idx[b] < idx[best])) best = b;
                    }
                    int t = idx[a];
                    idx[a] = idx[best];
                    idx[best] = t;
                    kept[o + idx[a]] = false;
                }
            }
        }
    }

    /** Prunes the {@code zb} R x C blocks (edge blocks partial) with the lowest score sums. */
    public static void pruneBlocks(double[] scores, int n, int k, int br, int bc, long zb, boolean[] kept) {
        int nr = (n + br - 1) / br, nc = (k + bc - 1) / bc;
        double[] sums = new double[nr * nc];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) sums[(r / br) * nc + c / bc] += scores[r * k + c];
        }
        boolean[] bk = new boolean[sums.length];
        pruneLowest(sums, zb, bk);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) kept[r * k + c] = bk[(r / br) * nc + c / bc];
        }
    }
}
