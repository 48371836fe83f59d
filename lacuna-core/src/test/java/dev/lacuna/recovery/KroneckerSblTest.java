// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KSBL: the AM update's cost never rises (every step), both updates recover a planted Kronecker support. */
class KroneckerSblTest {
    private final Dictionary a1 = Problems.gaussian(6, 12, 91);
    private final Dictionary a2 = Problems.gaussian(5, 10, 92);
    private final int[] s1 = {2, 7}, s2 = {1, 4, 8};
    private final double[] x0 = plantedKron();
    private final Problems.Measurement m = Problems.measure(Dictionary.kronecker(a1, a2), x0, 25, 93);

    private double[] plantedKron() {
        double[] x = new double[120];
        double[] v = Problems.planted(120, Problems.randomSupport(120, 120, 94), 95);
        for (int i : s1) for (int j : s2) x[i * 10 + j] = v[i * 10 + j];
        return x;
    }

    private int[] support() {
        int[] s = new int[s1.length * s2.length];
        int t = 0;
        for (int i : s1) for (int j : s2) s[t++] = i * 10 + j;
        return s;
    }

    @Test
    void kroneckerProductLayout() {
        Dictionary a = Dictionary.kronecker(a1, a2);
        assertEquals(30, a.rows());
        assertEquals(a1.get(3, 5) * a2.get(2, 9), a.get(3 * 5 + 2, 5 * 10 + 9), 0);
    }

    @Test
    void alternatingCostDecreasesEveryIterationAndRecoversTheSupport() {
        SblResult r = KroneckerSbl.solve(a1, a2, m.y(), m.noiseVariance(), KroneckerSbl.Update.ALTERNATING, 300, 1e-10);
        assertTrue(r.iterations() > 10);
        for (int i = 1; i < r.costs().length; i++) {
            assertTrue(r.costs()[i] <= r.costs()[i - 1] + 1e-9 * Math.abs(r.costs()[i - 1]), "step " + i + ": " + r.costs()[i - 1] + " -> " + r.costs()[i]);
        }
        assertArrayEquals(support(), Vectors.topK(r.mean(), 6));
        assertTrue(Problems.nmse(r.mean(), x0) < 0.05, "nmse " + Problems.nmse(r.mean(), x0));
    }

    @Test
    void svdUpdateRecoversTheSupport() {
        SblResult r = KroneckerSbl.solve(a1, a2, m.y(), m.noiseVariance(), KroneckerSbl.Update.SVD, 300, 1e-10);
        assertArrayEquals(support(), Vectors.topK(r.mean(), 6));
        assertTrue(Problems.nmse(r.mean(), x0) < 0.05, "nmse " + Problems.nmse(r.mean(), x0));
        assertTrue(r.costs()[r.iterations()] < r.costs()[0]);
    }
}
