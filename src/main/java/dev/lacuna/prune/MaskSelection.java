package dev.lacuna.prune;

import java.util.Arrays;

/**
 * The selection step every method shares: from a score per weight (higher = more important) to the
 * kept set, honouring the pattern and the exact count of zeros. Ties are broken by position (the
 * earlier weight is pruned first), so selection is deterministic.
 *
 * <p>Shapes: scores [N, K] row-major, N outputs, K inputs.
 */
final class MaskSelection {
    /** Which weights compete with each other for unstructured sparsity. */
    enum Group {
        /** The whole matrix (magnitude, random, SparseGPT). */
        LAYER,
        /** Each output row (Wanda, Sun et al. 2023, section 3: "per output" comparison group). */
        ROW
    }

    private MaskSelection() {}

    /** Zeros for sparsity {@code s} of {@code total} weights: round(s * total). */
    static long zeros(double s, long total) {
        return Math.round(s * total);
    }

    /**
     * The mask keeping the highest scores under {@code pattern}. For unstructured and block patterns the
     * number of pruned weights (blocks) is exactly round(sparsity * count); N:M ignores {@code sparsity}.
     */
    static Mask select(double[] scores, int n, int k, SparsityPattern pattern, double sparsity, Group group) {
        if (scores.length != (long) n * k) throw new IllegalArgumentException("scores have " + scores.length + " values, [" + n + ", " + k + "] needs " + (long) n * k);
        boolean[] kept = new boolean[scores.length];
        switch (pattern) {
            case SparsityPattern.Unstructured u -> {
                long z = zeros(sparsity, (long) n * k);
                if (group == Group.ROW) pruneLowestPerRow(scores, n, k, z, kept);
                else pruneLowest(scores, z, kept);
            }
            case SparsityPattern.NofM nm -> pruneNofM(scores, n, k, nm.n(), nm.m(), 0, k, kept);
            case SparsityPattern.Block b -> pruneBlocks(scores, n, k, b.rows(), b.cols(), zeros(sparsity, (long) (n / b.rows()) * (k / b.cols())), kept);
        }
        return Mask.of(kept, n, k);
    }

    /** kept[i] = true for all but the {@code z} lowest of {@code scores}. */
    static void pruneLowest(double[] scores, long z, boolean[] kept) {
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
     * Within columns [c0, c1) of each row, prunes the m - n lowest of every m consecutive inputs.
     * {@code scores} may be a column slice: it is [rows, ld] with the slice starting at column c0.
     */
    static void pruneNofM(double[] scores, int rows, int ld, int n, int m, int c0, int c1, boolean[] kept) {
        int drop = m - n;
        int[] idx = new int[m];
        for (int r = 0; r < rows; r++) {
            int o = r * ld;
            for (int g = c0; g < c1; g += m) {
                for (int j = 0; j < m; j++) {
                    idx[j] = g + j;
                    kept[o + g + j] = true;
                }
                // selection sort of the drop lowest, ties to the earlier input
                for (int a = 0; a < drop; a++) {
                    int best = a;
                    for (int b = a + 1; b < m; b++) {
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

    /** Prunes the {@code zb} R x C blocks with the lowest score sums. */
    static void pruneBlocks(double[] scores, int n, int k, int br, int bc, long zb, boolean[] kept) {
        int nr = n / br, nc = k / bc;
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
