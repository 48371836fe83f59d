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
class BlockCsrLinearTest {
    private static FloatTensor masked(int rows, int cols, int r, int c, double sparsity, long seed) {
        return MaskSelection.pruneByMagnitude(randomWeight(rows, cols, seed), new SparsityPattern.Block(r, c), sparsity);
    }

    @Test
    void matchesDenseForBlockShapesAndOddShapes() {
        int[][] blocks = {{1, 4}, {4, 1}, {8, 1}, {4, 4}, {2, 2}, {3, 5}, {16, 1}, {1, 1}, {5, 3}, {6, 2}};
        int[][] shapes = {{37, 29}, {50, 67}, {64, 48}, {1, 7}};
        for (int[] bl : blocks) {
            for (int[] s : shapes) {
                FloatTensor w = masked(s[0], s[1], bl[0], bl[1], 0.7, s[0] * 17L + s[1] + bl[0]);
                FloatTensor b = randomBias(s[0], 9);
                BlockCsrLinear lin = BlockCsrLinear.fromDense(w, b, bl[0], bl[1]);
                assertEquals("block" + bl[0] + "x" + bl[1], lin.kernel());
                check(lin, w, b);
            }
        }
    }

    @Test
    void zerosInsideKeptBlocksAndUnstructuredMasks() {
        // An unstructured mask stored in 4x4 blocks: kept blocks hold zeros.
        FloatTensor w = MaskSelection.pruneByMagnitude(randomWeight(40, 36, 3), new SparsityPattern.Unstructured(), 0.8);
        BlockCsrLinear lin = BlockCsrLinear.fromDense(w, null, 4, 4);
        long nz = 0;
        for (float v : w.data()) if (v != 0f) nz++;
        assertEquals(nz, lin.nonZeros());
        assertEquals((double) nz / lin.storedValues(), BlockCsrLinear.fill(w, 4, 4), 1e-12);
        check(lin, w, null);
    }

    @Test
    void emptyBlockRowsFullyDenseAndAllZero() {
        FloatTensor w = SparseTesting.zeroRows(masked(48, 40, 8, 1, 0.6, 4), 0, 1, 2, 3, 4, 5, 6, 7, 40, 41, 42, 43, 44, 45, 46, 47);
        FloatTensor b = randomBias(48, 1);
        check(BlockCsrLinear.fromDense(w, b, 8, 1), w, b);
        FloatTensor full = randomWeight(21, 19, 5);
        BlockCsrLinear dense = BlockCsrLinear.fromDense(full, null, 4, 4);
        assertEquals(0.0, dense.sparsity());
        assertEquals(1.0, BlockCsrLinear.fill(full, 1, 1));
        check(dense, full, null);
        FloatTensor zero = new FloatTensor(new int[] {13, 17}, new float[13 * 17]);
        BlockCsrLinear none = BlockCsrLinear.fromDense(zero, randomBias(13, 2), 4, 4);
        assertEquals(0, none.blocks());
        check(none, zero, none.bias());
    }

    @Test
    void rawArraysRoundTripExactly() {
        FloatTensor w = masked(35, 30, 4, 4, 0.75, 12); // partial edge blocks on both sides
        FloatTensor b = randomBias(35, 3);
        BlockCsrLinear a = BlockCsrLinear.fromDense(w, b, 4, 4);
        BlockCsrLinear c = BlockCsrLinear.of(35, 30, 4, 4, a.blockPointers(), a.blockColumns(), a.values(), b);
        assertEquals(w, c.weight());
        assertArrayEquals(a.values(), c.values());
        assertArrayEquals(a.blockColumns(), c.blockColumns());
        assertArrayEquals(a.blockPointers(), c.blockPointers());
        float[] x = SparseTesting.randomX(20, 30, 8);
        float[] ya = new float[20 * 35], yc = new float[20 * 35];
        a.apply(SparseTesting.ONE, x, 20, ya);
        c.apply(SparseTesting.TWO, x, 20, yc);
        assertArrayEquals(ya, yc);
    }

    @Test
    void valuesAreColumnByColumnWithinABlock() {
        // W [2, 2] in one 2x2 block: values [C, R] = w00, w10, w01, w11.
        FloatTensor w = new FloatTensor(new int[] {2, 2}, new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {1, 3, 2, 4}, BlockCsrLinear.fromDense(w, null, 2, 2).values());
    }

    @Test
    void rejectsBadInput() {
        FloatTensor w = randomWeight(8, 8, 1);
        assertMessage("block sides must be in [1, 64], got 0x4", () -> BlockCsrLinear.fromDense(w, null, 0, 4));
        assertMessage("block sides must be in [1, 64], got 4x65", () -> BlockCsrLinear.fromDense(w, null, 4, 65));
        // [8, 8] in 4x4: 2 block rows, 2 block columns.
        float[] v16 = new float[16];
        assertMessage("block pointers have 2 entries, 2 block rows need 3", () -> BlockCsrLinear.of(8, 8, 4, 4, new int[] {0, 1}, new int[] {0}, v16, null));
        assertMessage("1 blocks need 16 values, got 15", () -> BlockCsrLinear.of(8, 8, 4, 4, new int[] {0, 1, 1}, new int[] {0}, new float[15], null));
        assertMessage("block column 2, outside [0, 2)", () -> BlockCsrLinear.of(8, 8, 4, 4, new int[] {0, 1, 1}, new int[] {2}, v16, null));
        assertMessage("block columns not increasing (1 then 0)", () -> BlockCsrLinear.of(8, 8, 4, 4, new int[] {0, 2, 2}, new int[] {1, 0}, new float[32], null));
        // issue 16, finding 8: a pointer past the blocks was reported as "block columns not increasing"
        assertMessage("block4x4: block pointer 1 is 3, past the 2 blocks", () -> BlockCsrLinear.of(8, 8, 4, 4, new int[] {0, 3, 2}, new int[] {1, 0}, new float[32], null));
        assertMessage("block pointers must run from 0 to 1", () -> BlockCsrLinear.of(8, 8, 4, 4, new int[] {0, 0, 0}, new int[] {0}, v16, null));
        // [6, 6] in 4x4: the block at (1, 1) covers rows 4..7, columns 4..7; row 6 lies outside.
        float[] pad = new float[16];
        pad[2] = 5f; // [C, R] layout: column 0, row 2 of the block

        assertMessage("value 5.0 at [6, 4] lies outside the weight [6, 6]", () -> BlockCsrLinear.of(6, 6, 4, 4, new int[] {0, 0, 1}, new int[] {1}, pad, null));
    }
}
