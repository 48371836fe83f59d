// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetAllocationTest {
    /** Options of one head: cost 0.1 .. 1 (dense, error 0), error falling with cost. */
    private static final double[] COST = {0.1, 0.2, 0.4, 0.6, 1.0};
    private static final double[] ERR = {1.0, 0.5, 0.2, 0.05, 0};

    @Test
    void theTotalIsKeptAndMovesToTheHeavierHeads() {
        int n = 6;
        double[] w = {1, 1, 1, 4, 4, 4};
        double[][] err = new double[n][], cost = new double[n][];
        for (int h = 0; h < n; h++) {
            err[h] = ERR;
            cost[h] = COST;
        }
        // the uniform plan: option 2 everywhere, total 2.4
        int[] pick = BudgetAllocation.allocate(w, err, cost, 2.4 + 1e-9);
        assertEquals(2.4, BudgetAllocation.total(pick, cost), 1e-9);
        for (int h = 0; h < 3; h++) assertTrue(pick[h] < 2, "robust head " + h + " got option " + pick[h]);
        for (int h = 3; h < 6; h++) assertTrue(pick[h] > 2, "sensitive head " + h + " got option " + pick[h]);
        // equal weights: nothing to gain by moving budget
        assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2}, BudgetAllocation.allocate(new double[] {1, 1, 1, 1, 1, 1}, err, cost, 2.4 + 1e-9));
    }

    /** On small problems the allocation keeps the budget and is as good as an exhaustive search, or close. */
    @Test
    void matchesExhaustiveSearchOnSmallProblems() {
        Random r = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 4;
            double[] w = new double[n];
            double[][] err = new double[n][5], cost = new double[n][5];
            for (int h = 0; h < n; h++) {
                w[h] = r.nextDouble() * 3;
                double e = 1, c = 0.05;
                for (int o = 0; o < 5; o++) {
                    err[h][o] = e;
                    cost[h][o] = c;
                    e *= r.nextDouble();
                    c += r.nextDouble() * 0.3;
                }
            }
            double budget = 0.4 + r.nextDouble() * 1.5;
            int[] pick = BudgetAllocation.allocate(w, err, cost, budget);
            double got = 0;
            for (int h = 0; h < n; h++) got += w[h] * err[h][pick[h]];
            double best = Double.POSITIVE_INFINITY, minCost = 0;
            for (int h = 0; h < n; h++) minCost += cost[h][0];
            for (int code = 0; code < 625; code++) {
                double c = 0, e = 0;
                for (int h = 0, x = code; h < n; h++, x /= 5) {
                    c += cost[h][x % 5];
                    e += w[h] * err[h][x % 5];
                }
                if (c <= budget) best = Math.min(best, e);
            }
            if (minCost > budget) continue;
            assertTrue(BudgetAllocation.total(pick, cost) <= budget + 1e-12, "trial " + trial);
            assertTrue(got <= 1.5 * best + 1e-12, "trial " + trial + ": " + got + " vs the optimum " + best);
        }
    }
}
