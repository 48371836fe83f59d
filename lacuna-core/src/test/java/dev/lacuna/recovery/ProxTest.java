// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every prox against brute-force minimisation of ½(x − v)² + step·λφ(x) on a fine grid. */
class ProxTest {
    private static final double STEP_GRID = 1e-4;

    /** argmin on the grid [−5, 5] (and exactly 0), the reference. */
    private static double bruteForce(Prox p, double v, double step, double norm) {
        double best = 0, bestF = 0.5 * v * v + step * p.penalty(0, norm);
        for (double x = -5; x <= 5; x += STEP_GRID) {
            double f = 0.5 * (x - v) * (x - v) + step * p.penalty(x, norm);
            if (f < bestF) { bestF = f; best = x; }
        }
        return best;
    }

    private static double objective(Prox p, double x, double v, double step, double norm) {
        return 0.5 * (x - v) * (x - v) + step * p.penalty(x, norm);
    }

    @Test
    void everyProxMatchesTheGridMinimiser() {
        List<Prox> proxes = List.of(new SoftThreshold(0.7), new HardThreshold(0.7), new LqThreshold(0.7, 0.5),
                new LqThreshold(0.3, 0.2), new LqThreshold(1.1, 0.8), new Cel0Threshold(0.7));
        double[] steps = {0.3, 0.9};
        double[] norms = {0.6, 1.0};
        int checked = 0;
        for (Prox p : proxes) {
            for (double step : steps) for (double norm : norms) {
                if (p instanceof Cel0Threshold && step * norm * norm >= 1) continue;
                for (double v = -3; v <= 3; v += 0.137) {
                    double got = p.apply(v, step, norm);
                    double ref = bruteForce(p, v, step, norm);
                    double fGot = objective(p, got, v, step, norm), fRef = objective(p, ref, v, step, norm);
                    // the prox is never worse than the grid and lies within a grid cell of its minimiser
                    assertTrue(fGot <= fRef + 1e-8, p + " step " + step + " v " + v + ": " + fGot + " > grid " + fRef);
                    if (Math.abs(fGot - fRef) > 1e-6) assertEquals(ref, got, 2 * STEP_GRID, p + " v " + v);
                    checked++;
                }
            }
        }
        assertTrue(checked > 400);
    }

    @Test
    void closedFormsAtKnownPoints() {
        assertEquals(1.3, new SoftThreshold(0.5).apply(2.3, 2, 1), 1e-15);
        assertEquals(0, new SoftThreshold(0.5).apply(-0.9, 2, 1));
        assertEquals(1.5, new HardThreshold(1).apply(1.5, 1, 1)); // sqrt(2) < 1.5
        assertEquals(0, new HardThreshold(1).apply(1.4, 1, 1));
        // CEL0 with a = 1, step 0.5: |v| <= sqrt(2λ)·0.5 gives 0; large |v| gives v (no shrinkage, unlike l1)
        assertEquals(0, new Cel0Threshold(0.5).apply(0.4, 0.5, 1));
        assertEquals(3, new Cel0Threshold(0.5).apply(3, 0.5, 1));
        assertEquals(0.2, new Cel0Threshold(0.5).apply(0.6, 0.5, 1), 1e-15); // (0.6 − 0.5) / 0.5
        // lq with q = 1/2: the threshold is (3/2)(t λ)^(2/3) for q = 1/2; just above it the prox jumps to a nonzero
        double tl = 0.4, thr = 1.5 * Math.pow(tl, 2.0 / 3);
        assertEquals(0, new LqThreshold(0.4, 0.5).apply(thr * 0.99, 1, 1));
        assertTrue(new LqThreshold(0.4, 0.5).apply(thr * 1.01, 1, 1) > 0.5 * thr);
    }
}
