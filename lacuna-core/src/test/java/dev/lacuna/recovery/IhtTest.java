// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Normalized IHT recovers a planted support on a well-conditioned problem and keeps at most k nonzeros. */
class IhtTest {
    @Test
    void recoversAPlantedSupport() {
        for (long seed = 0; seed < 3; seed++) {
            Dictionary a = Problems.gaussian(60, 120, 40 + seed);
            int[] s = Problems.randomSupport(120, 6, 50 + seed);
            double[] x0 = Problems.planted(120, s, 60 + seed);
            double[] y = Problems.measure(a, x0, 40, 70 + seed).y();
            double[] x = Iht.solve(a, y, 6, 500, 1e-12);
            assertTrue(Vectors.nonzeros(x) <= 6);
            assertArrayEquals(s, Vectors.topK(x, 6), "seed " + seed);
            assertTrue(Problems.nmse(x, x0) < 1e-3, "nmse " + Problems.nmse(x, x0));
        }
    }

    @Test
    void topKMatchesTheSortReferenceWithTies() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(60), k = 1 + rng.nextInt(n);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = (rng.nextInt(7) - 3) * (trial % 2 == 0 ? 1 : 0.5); // many ties, zeros and signs
            assertArrayEquals(Vectors.topKReference(v, k), Vectors.topK(v, k), "n " + n + " k " + k);
        }
    }
}
