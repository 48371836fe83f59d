// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import static dev.lacuna.sparse.SparseTesting.check;
import static dev.lacuna.sparse.SparseTesting.randomBias;
import static dev.lacuna.sparse.SparseTesting.randomWeight;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.lacuna.LacunaException;
import dev.lacuna.VectorPaths;
import dev.lacuna.tensor.FloatTensor;

@VectorPaths
class CsrLinearTest {
    private static FloatTensor masked(int n, int k, double sparsity, long seed) {
        return MaskSelection.pruneByMagnitude(randomWeight(n, k, seed), new SparsityPattern.Unstructured(), sparsity);
    }

    @Test
    void matchesDenseOnOddShapes() {
        int[][] shapes = {{1, 1}, {37, 29}, {50, 67}, {16, 16}, {17, 33}, {64, 130}};
        for (int[] s : shapes) {
            for (double sparsity : new double[] {0.5, 0.9}) {
                FloatTensor w = masked(s[0], s[1], sparsity, s[0] * 31L + s[1]);
                FloatTensor b = randomBias(s[0], 7);
                check(CsrLinear.fromDense(w, b), w, b);
            }
        }
    }

    @Test
    void emptyRowsFullyDenseAndAllZero() {
        FloatTensor w = SparseTesting.zeroRows(masked(45, 31, 0.7, 3), 0, 1, 2, 17, 30, 44);
        check(CsrLinear.fromDense(w, randomBias(45, 1)), w, randomBias(45, 1));
        FloatTensor full = randomWeight(19, 23, 4);
        CsrLinear dense = CsrLinear.fromDense(full, null);
        assertEquals(0.0, dense.sparsity());
        check(dense, full, null);
        FloatTensor zero = new FloatTensor(new int[] {21, 13}, new float[21 * 13]);
        FloatTensor b = randomBias(21, 5);
        CsrLinear none = CsrLinear.fromDense(zero, b);
        assertEquals(0, none.nonZeros());
        assertEquals(1.0, none.sparsity());
        check(none, zero, b);
    }

    @Test
    void wideColumnsUseIntIndices() {
        int k = CsrLinear.MAX_COMPACT_K + 17;
        FloatTensor w0 = randomWeight(5, k, 9);
        w0.data()[2 * k + k - 1] = 100f; // kept: a column past 16 bits
        FloatTensor w = MaskSelection.pruneByMagnitude(w0, new SparsityPattern.Unstructured(), 0.99);
        FloatTensor b = randomBias(5, 2);
        CsrLinear lin = CsrLinear.fromDense(w, b);
        assertTrue(java.util.Arrays.stream(lin.columnIndices()).anyMatch(c -> c >= CsrLinear.MAX_COMPACT_K));
        check(lin, w, b);
    }

    @Test
    void rawArraysRoundTripExactly() {
        FloatTensor w = SparseTesting.zeroRows(masked(33, 47, 0.8, 11), 5);
        FloatTensor b = randomBias(33, 3);
        CsrLinear a = CsrLinear.fromDense(w, b);
        CsrLinear c = CsrLinear.of(33, 47, a.rowPointers(), a.columnIndices(), a.values(), b);
        assertEquals(w, c.weight());
        assertArrayEquals(a.values(), c.values());
        assertArrayEquals(a.columnIndices(), c.columnIndices());
        assertArrayEquals(a.rowPointers(), c.rowPointers());
        float[] x = SparseTesting.randomX(20, 47, 8);
        float[] ya = new float[20 * 33], yc = new float[20 * 33];
        a.apply(SparseTesting.ONE, x, 20, ya);
        c.apply(SparseTesting.TWO, x, 20, yc);
        assertArrayEquals(ya, yc);
        assertEquals("csr", c.kernel());
    }

    @Test
    void rejectsBadArrays() {
        float[] v = {1, 2, 3};
        assertMessage("row pointers have 2 entries", () -> CsrLinear.of(2, 4, new int[] {0, 3}, new int[] {0, 1, 2}, v, null));
        assertMessage("must run from 0 to 3", () -> CsrLinear.of(2, 4, new int[] {0, 1, 2}, new int[] {0, 1, 2}, v, null));
        // issue 16, finding 8: a pointer past the non-zeros was reported as "columns not increasing"
        assertMessage("csr: row pointer 1 is 3, past the 2 non-zeros", () -> CsrLinear.of(2, 4, new int[] {0, 3, 2}, new int[] {2, 1}, new float[2], null));
        assertMessage("row pointers decrease at row 1 (2 then 1)", () -> CsrLinear.of(3, 4, new int[] {0, 2, 1, 3}, new int[] {0, 1, 2}, v, null));
        assertMessage("column 4, outside [0, 4)", () -> CsrLinear.of(2, 4, new int[] {0, 1, 3}, new int[] {0, 1, 4}, v, null));
        assertMessage("columns not increasing (3 then 1)", () -> CsrLinear.of(2, 4, new int[] {0, 1, 3}, new int[] {0, 3, 1}, v, null));
        assertMessage("3 column indices for 2 values", () -> CsrLinear.of(2, 4, new int[] {0, 1, 2}, new int[] {0, 1, 2}, new float[2], null));
        assertMessage("bias [3] does not match 2 output rows", () -> CsrLinear.fromDense(new FloatTensor(new int[] {2, 2}, new float[4]), new FloatTensor(new int[] {3}, new float[3])));
        assertMessage("weight must be [N, K]", () -> CsrLinear.fromDense(new FloatTensor(new int[] {4}, new float[4]), null));
    }

    @Test
    void applyChecksBufferSizes() {
        CsrLinear lin = CsrLinear.fromDense(randomWeight(3, 5, 1), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lin.apply(SparseTesting.ONE, new float[9], 2, new float[6]));
        assertTrue(e.getMessage().contains("x has 9 values, [2, 5] needs 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lin.apply(SparseTesting.ONE, new float[10], 2, new float[5]));
        assertTrue(e.getMessage().contains("y has 5 values, [2, 3] needs 6"), e.getMessage());
    }

    static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        LacunaException e = assertThrows(LacunaException.class, call);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
}
