// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Per-layer sparsity ratios whose overall sparsity is a target: ERK and OWL. */
public final class LayerwiseSparsity {
    private LayerwiseSparsity() {}

    /**
     * Erdős–Rényi-Kernel ratios (Evci et al. 2020, "Rigging the Lottery: Making All Tickets Winners"):
     * density of an N x K layer ∝ (N + K) / (N K), scaled so that the parameter-weighted sparsity is
     * {@code target}; a layer whose density would exceed 1 is kept dense and the rest rescaled.
     *
     * @param shapes name → {N, K}
     * @return name → sparsity, in the order of {@code shapes}
     */
    public static Map<String, Double> erk(Map<String, int[]> shapes, double target) {
        double total = 0;
        for (int[] s : shapes.values()) total += (double) s[0] * s[1];
        Set<String> dense = new HashSet<>();
        double eps = 0;
        while (true) {
            double divisor = 0, rhs = (1 - target) * total;
            for (Map.Entry<String, int[]> e : shapes.entrySet()) {
                double size = (double) e.getValue()[0] * e.getValue()[1];
                if (dense.contains(e.getKey())) rhs -= size;
                else divisor += raw(e.getValue()) * size;
            }
            if (divisor == 0) break;
            eps = rhs / divisor;
            String worst = null;
            double max = 1;
            for (Map.Entry<String, int[]> e : shapes.entrySet()) {
                if (dense.contains(e.getKey())) continue;
                double d = eps * raw(e.getValue());
                if (d > max) {
                    max = d;
                    worst = e.getKey();
                }
            }
            if (worst == null) break;
            dense.add(worst);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            double density = dense.contains(e.getKey()) ? 1 : eps * raw(e.getValue());
            out.put(e.getKey(), Math.min(1, Math.max(0, 1 - density)));
        }
        return out;
    }

    private static double raw(int[] s) {
        return (double) (s[0] + s[1]) / ((double) s[0] * s[1]);
    }

    /**
     * OWL's layer outlier ratio (Yin et al. 2023, "Outlier Weighed Layerwise Sparsity (OWL)"):
     * the fraction of Wanda scores of a transformer layer (all its targeted projections together)
     * above {@code m} times their mean.
     */
    public static double outlierRatio(List<double[]> scores, double m) {
        double sum = 0;
        long count = 0;
        for (double[] s : scores) {
            for (double v : s) sum += v;
            count += s.length;
        }
        if (count == 0) return 0;
        double cut = m * sum / count;
        long above = 0;
        for (double[] s : scores) for (double v : s) if (v > cut) above++;
        return (double) above / count;
    }

    /**
     * OWL ratios as the reference computes them: outlier ratios are min-max normalised to [0, 2λ],
     * centred, and subtracted from the target, so layers with more outliers are pruned less and the
     * mean sparsity stays the target. Results are clamped to [0, 0.99] (which only then moves the mean).
     *
     * @param ratios layer → outlier ratio
     * @return layer → sparsity
     */
    public static <K> Map<K, Double> owl(Map<K, Double> ratios, double target, double lambda) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double d : ratios.values()) {
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        Map<K, Double> out = new LinkedHashMap<>();
        if (ratios.isEmpty()) return out;
        if (!(max > min)) {
            for (K key : ratios.keySet()) out.put(key, target);
            return out;
        }
        Map<K, Double> norm = new LinkedHashMap<>();
        double mean = 0;
        for (Map.Entry<K, Double> e : ratios.entrySet()) {
            double v = (e.getValue() - min) / (max - min) * 2 * lambda;
            norm.put(e.getKey(), v);
            mean += v;
        }
        mean /= ratios.size();
        for (Map.Entry<K, Double> e : norm.entrySet()) {
            double s = target - (e.getValue() - mean);
            out.put(e.getKey(), Math.min(0.99, Math.max(0, s)));
        }
        return out;
    }
}
