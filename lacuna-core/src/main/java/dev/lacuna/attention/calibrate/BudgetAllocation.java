// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

/**
 * Shares a total attention budget among heads: one option (a candidate method) per head, minimising
 * Σ_h w_h e_h(option) subject to Σ_h cost_h(option) <= budget. HeSS-guided sparsification
 * (Kim et al., 2026) with w_h the head's sensitivity score: sensitive heads get denser options,
 * robust ones sparser, and the total stays that of the uniform plan it replaces.
 *
 * <p>The Lagrangian relaxation (per head, argmin w e + λ cost; λ bisected to the smallest that fits
 * the budget) followed by a greedy fill of what is left (the upgrade with the largest weighted error
 * reduction per unit of cost that still fits, until none does). Deterministic; ties go to the lower
 * cost, then the lower index.
 */
public final class BudgetAllocation {
    private BudgetAllocation() {}

    /**
     * @param weight [heads] w_h >= 0
     * @param err    [heads][options] e_h >= 0
     * @param cost   [heads][options]
     * @param budget the most Σ cost may be; below Σ_h min cost_h every head gets its cheapest option
     * @return [heads] the chosen option of each head
     */
    public static int[] allocate(double[] weight, double[][] err, double[][] cost, double budget) {
        int n = weight.length;
        int[] pick = pick(weight, err, cost, 0);
        if (total(pick, cost) <= budget) return pick;
        double hi = 1;
        while (total(pick(weight, err, cost, hi), cost) > budget && hi < 1e300) hi *= 2;
        double lo = 0;
        for (int it = 0; it < 200 && hi > lo * (1 + 1e-15); it++) {
            double mid = 0.5 * (lo + hi);
            if (total(pick(weight, err, cost, mid), cost) <= budget) hi = mid;
            else lo = mid;
        }
        pick = pick(weight, err, cost, hi);
        double slack = budget - total(pick, cost);
        while (true) {
            int bh = -1, bo = -1;
            double bestRatio = 0;
            for (int h = 0; h < n; h++) {
                for (int o = 0; o < cost[h].length; o++) {
                    double dc = cost[h][o] - cost[h][pick[h]], de = weight[h] * (err[h][pick[h]] - err[h][o]);
                    if (de <= 0 || dc > slack) continue;
                    double ratio = dc <= 0 ? Double.POSITIVE_INFINITY : de / dc;
                    if (ratio > bestRatio) {
                        bestRatio = ratio;
                        bh = h;
                        bo = o;
                    }
                }
            }
            if (bh < 0) return pick;
            slack -= cost[bh][bo] - cost[bh][pick[bh]];
            pick[bh] = bo;
        }
    }

    private static int[] pick(double[] weight, double[][] err, double[][] cost, double lambda) {
        int[] p = new int[weight.length];
        for (int h = 0; h < weight.length; h++) {
            int best = 0;
            double bv = weight[h] * err[h][0] + lambda * cost[h][0];
            for (int o = 1; o < cost[h].length; o++) {
                double v = weight[h] * err[h][o] + lambda * cost[h][o];
                if (v < bv || v == bv && cost[h][o] < cost[h][best]) {
                    best = o;
                    bv = v;
                }
            }
            p[h] = best;
        }
        return p;
    }

    static double total(int[] pick, double[][] cost) {
        double s = 0;
        for (int h = 0; h < pick.length; h++) s += cost[h][pick[h]];
        return s;
    }
}
