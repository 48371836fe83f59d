// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shape mismatches, k > d and non-finite values give a one-line LacunaException naming the problem. */
class RecoveryBadInputTest {
    private final Dictionary a = Problems.gaussian(4, 6, 1);

    private static void fails(String expected, Executable e) {
        LacunaException ex = assertThrows(LacunaException.class, e);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), "one line: " + ex.getMessage());
    }

    @Test
    void badInputs() {
        fails("dictionary data has 5 values", () -> new Dictionary(2, 3, new double[5]));
        fails("not finite", () -> new Dictionary(1, 2, new double[] {1, Double.NaN}));
        fails("signal has 3 values, the dictionary has 4 rows", () -> Omp.solve(a, new double[3], 2));
        fails("signal value 1 is not finite", () -> Fista.solve(a, new double[] {0, Double.POSITIVE_INFINITY, 0, 0}, new SoftThreshold(1), 10, 0));
        fails("sparsity k must be in [1, 6]", () -> Iht.solve(a, new double[4], 7, 10, 0));
        fails("exceeds the dictionary's 4 rows", () -> Omp.solve(a, new double[4], 5));
        fails("sparsity k must be in [1, 6]", () -> Omp.solveBatch(a, new double[][] {new double[4]}, 0));
        fails("q must be in (0, 1)", () -> new LqThreshold(1, 1));
        fails("lambda must be finite", () -> new SoftThreshold(Double.NaN));
        fails("noise variance must be finite and > 0", () -> Sbl.solve(a, new double[4], 0, 10, 0));
        fails("signal has 4 values, the dictionary has 2 rows", () -> KroneckerSbl.solve(new Dictionary(1, 2, new double[2]), new Dictionary(2, 2, new double[4]), new double[4], 1, KroneckerSbl.Update.SVD, 5, 0));
    }
}
