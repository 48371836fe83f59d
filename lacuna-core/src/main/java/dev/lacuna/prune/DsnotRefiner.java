// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.sparse.SparsityPattern;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DSnoT (Zhang et al. 2023, "Dynamic Sparse No Training: Training-Free Fine-tuning for Sparse LLMs",
 * section 3): refines a mask without training and without changing any weight, by swapping pruned
 * and kept weights of each output row so as to shrink the expected reconstruction error
 * r = Σ_{j pruned} W_ij · E[x_j]. Each cycle regrows the pruned weight whose contribution most reduces
 * |r|, normalised by Var(x_j) (regrowing prefers stable inputs), and prunes a kept weight whose
 * contribution has the opposite effect and whose Wanda score is lowest. A row stops when |r| is within
 * {@code threshold}, when no swap of the right sign is left, or after {@code maxCycles} swaps.
 * For N:M the pruned weight is taken from the regrown weight's group, so the pattern is preserved.
 *
 * <p>As in the reference code, E[x_j] is taken as the per-sequence sum Σ_t x_tj / sequences (the
 * threshold is in those units) and Wanda's score is |W_ij| ||X_j||. The method is deterministic.
 *
 * <p>Shapes: W [N, K].
 */
public final class DsnotRefiner {
    /** The reference's defaults: 50 cycles, threshold 0.1, variance power 1. */
    public static final int DEFAULT_CYCLES = 50;
    public static final double DEFAULT_THRESHOLD = 0.1;

    private final int maxCycles;
    private final double threshold;
    private final double varPower;

    public DsnotRefiner(int maxCycles, double threshold) {
        this(maxCycles, threshold, 1.0);
    }

    public DsnotRefiner(int maxCycles, double threshold, double varPower) {
        if (maxCycles < 0) throw new LacunaException("dsnot_iterations must be >= 0, got " + maxCycles);
        if (!(threshold >= 0)) throw new LacunaException("dsnot_threshold must be >= 0, got " + threshold);
        this.maxCycles = maxCycles;
        this.threshold = threshold;
        this.varPower = varPower;
    }

    /**
     * A refined mask with the same number of kept weights in every row (and every N:M group).
     *
     * @param w W [N, K], the weights the mask applies to (not modified)
     */
    public Mask refine(Parallel par, float[] w, int n, int k, Mask mask, InputStats stats, SparsityPattern pattern) {
        if (pattern instanceof SparsityPattern.Block) throw new LacunaException("dsnot supports unstructured and N:M patterns, got " + pattern.spelling());
        if (mask.rows() != n || mask.cols() != k || w.length != (long) n * k) throw new IllegalArgumentException("mask and weight shapes differ");
        double seqs = Math.max(1, stats.sequences());
        double[] mu = new double[k], var = new double[k], sq = stats.squaredNorms(), sums = stats.sums();
        for (int j = 0; j < k; j++) {
            mu[j] = sums[j] / seqs;
            var[j] = Math.max(stats.variance(j), 1e-12); // guards constant inputs
        }
        boolean[] kept = mask.toBooleanArray();
        int m = pattern instanceof SparsityPattern.NofM nm ? nm.m() : 0;
        par.forRange(n, 4, (s, e) -> {
            double[] dsm = new double[k], wanda = new double[k];
            for (int r = s; r < e; r++) {
                int o = r * k;
                for (int j = 0; j < k; j++) {
                    dsm[j] = w[o + j] * mu[j];
                    wanda[j] = Math.abs(w[o + j]) * Math.sqrt(sq[j]);
                }
                if (m > 0) refineRowNofM(kept, o, k, m, dsm, wanda, var);
                else refineRow(kept, o, k, dsm, wanda, var);
            }
        });
        return Mask.of(kept, n, k);
    }

    /** Pruned weights of the row, ascending by W_ij E[x_j] / Var(x_j)^p (stable). */
    private List<Integer> regrowOrder(boolean[] kept, int o, int k, double[] dsm, double[] var) {
        List<Integer> p = new ArrayList<>();
        for (int j = 0; j < k; j++) if (!kept[o + j]) p.add(j);
        p.sort(Comparator.comparingDouble(j -> dsm[j] / Math.pow(var[j], varPower)));
        return p;
    }

    private static double error(boolean[] kept, int o, int k, double[] dsm) {
        double r = 0;
        for (int j = 0; j < k; j++) if (!kept[o + j]) r += dsm[j];
        return r;
    }

    private void refineRow(boolean[] kept, int o, int k, double[] dsm, double[] wanda, double[] var) {
        List<Integer> grow = regrowOrder(kept, o, k, dsm, var);
        // kept weights that would pull r down (negative) or up (positive), lowest Wanda score first
        List<Integer> neg = new ArrayList<>(), pos = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            if (!kept[o + j]) continue;
            if (dsm[j] < 0) neg.add(j);
            else if (dsm[j] > 0) pos.add(j);
        }
        neg.sort(Comparator.comparingDouble(j -> wanda[j]));
        pos.sort(Comparator.comparingDouble(j -> wanda[j]));
        double r = error(kept, o, k, dsm);
        int lo = 0, hi = grow.size() - 1, ni = 0, pi = 0;
        for (int cycle = 0; cycle < maxCycles && Math.abs(r) > threshold && lo <= hi; cycle++) {
            int g, p;
            if (r > 0) {
                g = grow.get(hi);
                if (dsm[g] <= 0 || ni >= neg.size()) break;
                p = neg.get(ni++);
                hi--;
            } else {
                g = grow.get(lo);
                if (dsm[g] >= 0 || pi >= pos.size()) break;
                p = pos.get(pi++);
                lo++;
            }
            kept[o + g] = true;
            kept[o + p] = false;
            r += dsm[p] - dsm[g];
        }
    }

    private void refineRowNofM(boolean[] kept, int o, int k, int m, double[] dsm, double[] wanda, double[] var) {
        List<Integer> grow = regrowOrder(kept, o, k, dsm, var);
        boolean[] prunable = new boolean[k]; // kept from the start: regrown weights are never pruned again
        for (int j = 0; j < k; j++) prunable[j] = kept[o + j];
        double r = error(kept, o, k, dsm);
        double sign0 = Math.signum(r);
        int lo = 0, hi = grow.size() - 1;
        for (int cycle = 0; cycle < maxCycles && Math.abs(r) > threshold && lo <= hi; cycle++) {
            int g = r > 0 ? grow.get(hi) : grow.get(lo);
            if (r > 0 ? dsm[g] <= 0 : dsm[g] >= 0) break;
            int g0 = g - g % m, p = -1;
            for (int j = g0; j < g0 + m; j++) if (prunable[j] && (p < 0 || wanda[j] < wanda[p])) p = j;
            if (p < 0) break;
            double after = r + dsm[p] - dsm[g];
            if (Math.signum(after) != sign0) break; // the reference's N:M branch keeps the error's sign
            if (r > 0) hi--;
            else lo++;
            kept[o + g] = true;
            kept[o + p] = false;
            prunable[p] = false;
            r = after;
        }
    }
}
