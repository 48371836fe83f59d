// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BalancedOrdersTest {
    /** Every row a permutation; every engine first equally often; every ordered neighbour pair equally often. */
    @Test
    void everyEngineFollowsEveryOtherEquallyOften() {
        for (int n = 1; n <= 7; n++) {
            int[][] rows = EncoderBenchmark.balancedOrders(n);
            int[] firsts = new int[n];
            int[][] pairs = new int[n][n];
            for (int[] r : rows) {
                int[] sorted = r.clone();
                Arrays.sort(sorted);
                for (int i = 0; i < n; i++) assertEquals(i, sorted[i], "row " + Arrays.toString(r) + " is a permutation");
                firsts[r[0]]++;
                for (int j = 1; j < n; j++) pairs[r[j - 1]][r[j]]++;
            }
            for (int e = 0; e < n; e++) assertEquals(rows.length / n, firsts[e], "n " + n + ": engine " + e + " first");
            int expected = n == 1 ? 0 : rows.length * (n - 1) / (n * (n - 1));
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (a != b) assertEquals(expected, pairs[a][b], "n " + n + ": " + a + " just before " + b);
                }
            }
        }
    }
}
