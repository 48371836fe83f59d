// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import static dev.lacuna.sparse.CsrLinearTest.assertMessage;
import static dev.lacuna.sparse.SparseTesting.check;
import static dev.lacuna.sparse.SparseTesting.randomBias;
import static dev.lacuna.sparse.SparseTesting.randomWeight;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.lacuna.VectorPaths;
import dev.lacuna.tensor.FloatTensor;

@VectorPaths
class NmLinearTest {
    private static FloatTensor masked(int rows, int cols, int n, int m, long seed) {
        return MaskSelection.pruneByMagnitude(randomWeight(rows, cols, seed), new SparsityPattern.NofM(n, m), 1.0 - (double) n / m);
    }

    @Test
    void matchesDenseForSeveralPatternsAndOddShapes() {
        int[][] patterns = {{2, 4}, {4, 8}, {1, 4}, {3, 8}, {1, 2}, {5, 16}};
        int[][] shapes = {{1, 4}, {37, 29}, {50, 67}, {17, 64}, {64, 33}};
        for (int[] p : patterns) {
            for (int[] s : shapes) {
                FloatTensor w = masked(s[0], s[1], p[0], p[1], s[0] * 131L + s[1] + p[1]);
                FloatTensor b = randomBias(s[0], 3);
                NmLinear lin = NmLinear.fromDense(w, b, p[0], p[1]);
                assertEquals(p[0] + ":" + p[1], lin.kernel());
                check(lin, w, b);
            }
        }
    }

    @Test
    void emptyRowsFullPatternAndAllZero() {
        FloatTensor w = SparseTesting.zeroRows(masked(45, 36, 2, 4, 5), 0, 1, 2, 3, 21, 44);
        FloatTensor b = randomBias(45, 2);
        check(NmLinear.fromDense(w, b, 2, 4), w, b);
        // Exactly n non-zeros in every full group: the pattern's fullest case.
        FloatTensor full = masked(23, 40, 4, 8, 6);
        NmLinear lin = NmLinear.fromDense(full, null, 4, 8);
        assertEquals(0.5, lin.sparsity(), 1e-12);
        check(lin, full, null);
        FloatTensor zero = new FloatTensor(new int[] {19, 31}, new float[19 * 31]);
        NmLinear none = NmLinear.fromDense(zero, randomBias(19, 1), 2, 4);
        assertEquals(0, none.nonZeros());
        check(none, zero, none.bias());
    }

    @Test
    void rawArraysRoundTripExactly() {
        FloatTensor w = masked(33, 42, 2, 4, 11); // 42 = 10 groups + a partial group of 2
        FloatTensor b = randomBias(33, 3);
        NmLinear a = NmLinear.fromDense(w, b, 2, 4);
        NmLinear c = NmLinear.of(33, 42, 2, 4, a.values(), a.positions(), b);
        assertEquals(w, c.weight());
        assertArrayEquals(a.values(), c.values());
        assertArrayEquals(a.positions(), c.positions());
        float[] x = SparseTesting.randomX(20, 42, 8);
        float[] ya = new float[20 * 33], yc = new float[20 * 33];
        a.apply(SparseTesting.ONE, x, 20, ya);
        c.apply(SparseTesting.TWO, x, 20, yc);
        assertArrayEquals(ya, yc);
    }

    @Test
    void rejectsMasksThatAreNotNofM() {
        float[] d = new float[2 * 8];
        d[8 + 4] = 1;
        d[8 + 5] = 2;
        d[8 + 7] = 3; // row 1, columns 4..7: three non-zeros
        FloatTensor w = new FloatTensor(new int[] {2, 8}, d);
        assertMessage("is not 2:4: row 1, columns 4..7 hold 3 non-zeros", () -> NmLinear.fromDense(w, null, 2, 4));
        // A dense weight is never n:m.
        assertMessage("is not 4:8: row 0, columns 0..7 hold 8 non-zeros", () -> NmLinear.fromDense(randomWeight(3, 8, 1), null, 4, 8));
        // A last partial group counts too: K = 6, columns 4..5.
        float[] e = {1, 0, 0, 0, 1, 1};
        assertMessage("row 0, columns 4..5 hold 2 non-zeros", () -> NmLinear.fromDense(new FloatTensor(new int[] {1, 6}, e), null, 1, 4));
        assertMessage("n must be in [1, m), got 4:4", () -> NmLinear.fromDense(w, null, 4, 4));
        assertMessage("m must be in [2, 64], got 100", () -> NmLinear.fromDense(w, null, 2, 100));
    }

    @Test
    void rejectsBadArrays() {
        // [1, 8] at 2:4: 2 groups x 2 slots.
        float[] v = {1, 2, 3, 4};
        assertMessage("needs 4 values and positions, got 3 and 4", () -> NmLinear.of(1, 8, 2, 4, new float[3], new byte[] {0, 1, 0, 1}, null));
        assertMessage("position 4, outside [0, 4)", () -> NmLinear.of(1, 8, 2, 4, v, new byte[] {0, 4, 0, 1}, null));
        assertMessage("positions not increasing (2 then 2)", () -> NmLinear.of(1, 8, 2, 4, v, new byte[] {0, 1, 2, 2}, null));
        // K = 6: the second group's positions 2, 3 lie past K and must hold 0.
        assertMessage("value 3.0 at column 6, past K = 6", () -> NmLinear.of(1, 6, 2, 4, v, new byte[] {0, 1, 2, 3}, null));
        NmLinear ok = NmLinear.of(1, 6, 2, 4, new float[] {1, 2, 0, 0}, new byte[] {0, 1, 2, 3}, null);
        assertEquals(2, ok.nonZeros());
    }
}
