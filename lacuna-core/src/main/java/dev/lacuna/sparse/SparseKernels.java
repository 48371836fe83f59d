// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.DenseLinear;
import dev.lacuna.kernel.Linear;
import dev.lacuna.tensor.FloatTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Picks the kernel for one masked weight W [N, K]: dense, CSR, N:M (when the mask is n:m for some
 * m in {2, 4, 8, 16}) or blocked CSR (for block shapes whose kept blocks are mostly non-zero).
 *
 * <ul>
 *   <li>{@link #choose}: times every candidate on the actual shape with {@code typicalTokens} rows
 *       (seeded input, after {@link KernelBenchmark#warmUp}, interleaved, median of 7 runs) and
 *       keeps the fastest; a sparse kernel
 *       must beat dense by {@value #MARGIN_PERCENT}% to be taken, so noise does not swap a layer
 *       to a kernel that is no faster. Use it where the layer will run: the ratio depends on the
 *       machine.</li>
 *   <li>{@link #chooseByCostModel}: the same candidates ranked by {@link #estimateNanos}, a cost
 *       model whose constants the kernel lab fitted per vector width ({@link CostTable}: Zen 4
 *       AVX-512, Zen 3 AVX2; no timing, deterministic: for tests and for machines where timing is not
 *       wanted).</li>
 * </ul>
 * A weight without zeros is always dense, with no timing.
 */
public final class SparseKernels {
    private SparseKernels() {}

    /** How much faster (percent) a sparse kernel must be than dense to be chosen by timing. */
    public static final int MARGIN_PERCENT = 5;

    /** Block shapes tried, R x C. */
    static final int[][] BLOCK_SHAPES = {{1, 4}, {4, 1}, {8, 1}, {1, 8}, {2, 2}, {4, 4}, {16, 1}, {8, 8}};
    /** Group sizes tried for n:m. */
    static final int[] NM_GROUPS = {2, 4, 8, 16};
    /** Blocked CSR is a candidate when at least this fraction of its stored values are non-zero. */
    static final double MIN_BLOCK_FILL = 0.75;
    /** Block candidates kept for timing (best first by the cost model). */
    static final int BLOCK_CANDIDATES = 2;

    /** One candidate and its time on the typical batch. */
    public record Timing(Linear linear, double millis) {}

    /** The fastest Linear for W by timing on this machine; see the class comment. */
    public static Linear choose(FloatTensor maskedWeight, FloatTensor bias, int typicalTokens, Parallel par) {
        List<Timing> t = time(maskedWeight, bias, typicalTokens, par);
        Timing dense = t.get(0);
        Timing best = dense;
        for (Timing c : t) {
            if (c.millis() * (1 + MARGIN_PERCENT / 100.0) < dense.millis() && c.millis() < best.millis()) best = c;
        }
        return best.linear();
    }

    /**
     * Times dense and every sparse candidate on W with {@code typicalTokens} rows of a seeded random
     * input, interleaved (round robin) after a warm-up; median of the timed runs.
     *
     * @return dense first, then the sparse candidates
     */
    public static List<Timing> time(FloatTensor maskedWeight, FloatTensor bias, int typicalTokens, Parallel par) {
        if (typicalTokens < 1) throw new LacunaException("choose kernel: typical tokens must be ≥ 1, got " + typicalTokens);
        List<Linear> cands = candidates(maskedWeight, bias);
        int k = maskedWeight.dim(1), n = maskedWeight.dim(0);
        Random rnd = new Random(0x5EED);
        float[] x = new float[typicalTokens * k];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat() * 2 - 1;
        float[] y = new float[typicalTokens * n];
        KernelBenchmark.warmUp(() -> {
            for (Linear l : cands) l.apply(par, x, typicalTokens, y);
        });
        int reps = 7;
        double[][] ms = new double[cands.size()][reps];
        for (int r = 0; r < reps; r++) {
            for (int c = 0; c < cands.size(); c++) {
                long t0 = System.nanoTime();
                cands.get(c).apply(par, x, typicalTokens, y);
                ms[c][r] = (System.nanoTime() - t0) * 1e-6;
            }
        }
        List<Timing> out = new ArrayList<>();
        for (int c = 0; c < cands.size(); c++) {
            Arrays.sort(ms[c]);
            out.add(new Timing(cands.get(c), ms[c][reps / 2]));
        }
        return out;
    }

    /**
     * How much cheaper (percent) the cost model must rate a sparse kernel than dense for it to be
     * chosen: the model is within ~8% of the kernel lab's measurements (it rates CSR at 50% 1.08x
     * over dense where the lab measured 0.91-1.00x), so a smaller predicted gain is not a gain.
     */
    public static final int COST_MODEL_MARGIN_PERCENT = 10;

    /**
     * The Linear for W with the least {@link #estimateNanos} at {@code typicalTokens}, if it beats
     * dense by {@value #COST_MODEL_MARGIN_PERCENT}%; else dense. Deterministic.
     */
    public static Linear chooseByCostModel(FloatTensor maskedWeight, FloatTensor bias, int typicalTokens) {
        return chooseByCostModel(maskedWeight, bias, typicalTokens, CostTable.current());
    }

    /** {@link #chooseByCostModel(FloatTensor, FloatTensor, int)} by a given table (for tests and the lab). */
    public static Linear chooseByCostModel(FloatTensor maskedWeight, FloatTensor bias, int typicalTokens, CostTable table) {
        if (typicalTokens < 1) throw new LacunaException("choose kernel: typical tokens must be ≥ 1, got " + typicalTokens);
        List<Linear> cands = candidates(maskedWeight, bias, table);
        Linear dense = cands.get(0);
        double denseCost = table.estimateNanos(dense, typicalTokens);
        Linear best = dense;
        double cost = denseCost;
        for (Linear l : cands.subList(1, cands.size())) {
            double c = table.estimateNanos(l, typicalTokens);
            if (c * (1 + COST_MODEL_MARGIN_PERCENT / 100.0) < denseCost && c < cost) {
                cost = c;
                best = l;
            }
        }
        return best;
    }

    /**
     * Dense, then CSR, the best n:m (if any) and up to {@value #BLOCK_CANDIDATES} block shapes with fill
     * ≥ {@value #MIN_BLOCK_FILL}; only dense when W has no zeros.
     */
    public static List<Linear> candidates(FloatTensor maskedWeight, FloatTensor bias) {
        return candidates(maskedWeight, bias, CostTable.current());
    }

    /** {@link #candidates(FloatTensor, FloatTensor)} with block shapes ranked by {@code table}. */
    static List<Linear> candidates(FloatTensor maskedWeight, FloatTensor bias, CostTable table) {
        Shapes.weightAndBias("choose kernel", maskedWeight, bias);
        List<Linear> out = new ArrayList<>();
        out.add(new DenseLinear(maskedWeight, bias));
        long nz = 0;
        for (float v : maskedWeight.data()) if (v != 0f) nz++;
        if (nz == maskedWeight.size()) return out;
        out.add(CsrLinear.fromDense(maskedWeight, bias));
        detectNofM(maskedWeight).ifPresent(p -> out.add(NmLinear.fromDense(maskedWeight, bias, p.n(), p.m())));
        int tokens = 16 * table.lanes();
        List<Linear> blocks = new ArrayList<>();
        for (int[] s : BLOCK_SHAPES) {
            if (s[0] > maskedWeight.dim(0) || s[1] > maskedWeight.dim(1)) continue;
            if (BlockCsrLinear.fill(maskedWeight, s[0], s[1]) >= MIN_BLOCK_FILL) blocks.add(BlockCsrLinear.fromDense(maskedWeight, bias, s[0], s[1]));
        }
        blocks.sort(Comparator.comparingDouble(l -> table.estimateNanos(l, tokens)));
        out.addAll(blocks.subList(0, Math.min(BLOCK_CANDIDATES, blocks.size())));
        return out;
    }

    /**
     * The sparsest n:m pattern W follows, m in {2, 4, 8, 16} (the smaller m on a tie of n/m), if
     * any with n/m ≤ 3/4.
     */
    public static Optional<SparsityPattern.NofM> detectNofM(FloatTensor w) {
        Shapes.weightAndBias("detect n:m", w, null);
        int rows = w.dim(0), cols = w.dim(1);
        float[] d = w.data();
        SparsityPattern.NofM best = null;
        for (int m : NM_GROUPS) {
            if (m > cols) continue;
            int most = 0;
            for (int r = 0; r < rows && most < m; r++) {
                for (int g = 0; g < cols; g += m) {
                    int c = 0;
                    for (int i = g; i < Math.min(cols, g + m); i++) if (d[r * cols + i] != 0f) c++;
                    most = Math.max(most, c);
                }
            }
            int n = Math.max(1, most);
            if (n < m && 4 * n <= 3 * m && (best == null || (double) n / m < (double) best.n() / best.m())) best = new SparsityPattern.NofM(n, m);
        }
        return Optional.ofNullable(best);
    }

    /**
     * Estimated single-thread time of {@code l} on {@code tokens} rows by the cost table of the vector
     * kernels this JVM runs ({@link CostTable#current}), ns on the machine the table was fitted on.
     */
    public static double estimateNanos(Linear l, int tokens) {
        return CostTable.current().estimateNanos(l, tokens);
    }
}
