// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SBL's EM cost never rises (checked at every step) and the posterior mean recovers a planted support. */
class SblTest {
    @Test
    void costDecreasesEveryIterationAndSupportIsRecovered() {
        Dictionary a = Problems.gaussian(30, 60, 81);
        int[] s = Problems.randomSupport(60, 4, 82);
        double[] x0 = Problems.planted(60, s, 83);
        Problems.Measurement m = Problems.measure(a, x0, 25, 84);
        SblResult r = Sbl.solve(a, m.y(), m.noiseVariance(), 300, 1e-10);
        assertTrue(r.iterations() > 10);
        for (int i = 1; i < r.costs().length; i++) {
            assertTrue(r.costs()[i] <= r.costs()[i - 1] + 1e-9 * Math.abs(r.costs()[i - 1]), "step " + i + ": " + r.costs()[i - 1] + " -> " + r.costs()[i]);
        }
        assertArrayEquals(s, Vectors.topK(r.mean(), 4));
        assertTrue(Problems.nmse(r.mean(), x0) < 0.05, "nmse " + Problems.nmse(r.mean(), x0));
    }

    @Test
    void posteriorMatchesTheDenseFormula() {
        // one coordinate: Σ_y = σ² + γ a², μ = γ a y / Σ_y, Σ_x = γ − γ² a² / Σ_y
        Dictionary a = new Dictionary(1, 1, new double[] {2});
        SblPosterior p = SblPosterior.of(a, new double[] {3}, new double[] {0.5}, 0.25);
        double sy = 0.25 + 0.5 * 4;
        assertEquals(0.5 * 2 * 3 / sy, p.mean()[0], 1e-14);
        assertEquals(0.5 - 0.25 * 4 / sy, p.covarianceDiagonal()[0], 1e-14);
        assertEquals(Math.log(sy) + 9 / sy, p.cost(), 1e-14);
    }
}
