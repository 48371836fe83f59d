// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import static dev.lacuna.sparse.CsrLinearTest.assertMessage;
import static dev.lacuna.sparse.SparseTesting.randomWeight;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.lacuna.tensor.FloatTensor;

/** {@link MaskSelection#pruneByMagnitude}, including shapes the patterns do not tile (partial groups and blocks). */
class PruneByMagnitudeTest {
    private static long zeros(FloatTensor t) {
        long z = 0;
        for (float v : t.data()) if (v == 0f) z++;
        return z;
    }

    @Test
    void unstructuredPrunesExactlyTheSmallest() {
        FloatTensor w = randomWeight(37, 29, 1);
        FloatTensor m = MaskSelection.pruneByMagnitude(w, new SparsityPattern.Unstructured(), 0.7);
        assertEquals(Math.round(0.7 * 37 * 29), zeros(m));
        float keptMin = Float.MAX_VALUE, prunedMax = 0;
        for (int i = 0; i < w.data().length; i++) {
            float a = Math.abs(w.data()[i]);
            if (m.data()[i] == 0f) prunedMax = Math.max(prunedMax, a);
            else {
                keptMin = Math.min(keptMin, a);
                assertEquals(w.data()[i], m.data()[i]);
            }
        }
        assertTrue(prunedMax <= keptMin, prunedMax + " pruned above " + keptMin + " kept");
    }

    @Test
    void nOfMKeepsTheLargestPerGroup() {
        FloatTensor w = new FloatTensor(new int[] {1, 10}, new float[] {1, -5, 3, 2, 0.5f, 0.25f, -4, 6, 7, 8});
        FloatTensor m = MaskSelection.pruneByMagnitude(w, new SparsityPattern.NofM(2, 4), 0.5);
        // groups [1 -5 3 2] [0.5 0.25 -4 6] [7 8]: the partial group keeps both.
        assertEquals(new FloatTensor(new int[] {1, 10}, new float[] {0, -5, 3, 0, 0, 0, -4, 6, 7, 8}), m);
        assertMessage("pattern 2:4 fixes sparsity at 0.5, got 0.6", () -> MaskSelection.pruneByMagnitude(w, new SparsityPattern.NofM(2, 4), 0.6));
    }

    @Test
    void blocksPruneWholeBlocksByNorm() {
        FloatTensor w = randomWeight(30, 22, 2); // 8 x 6 blocks of 4x4, partial at the edges
        FloatTensor m = MaskSelection.pruneByMagnitude(w, new SparsityPattern.Block(4, 4), 0.75);
        int kept = 0;
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 6; j++) {
                int nz = 0, all = 0;
                for (int r = i * 4; r < Math.min(30, i * 4 + 4); r++) {
                    for (int c = j * 4; c < Math.min(22, j * 4 + 4); c++, all++) if (m.data()[r * 22 + c] != 0f) nz++;
                }
                assertTrue(nz == 0 || nz == all, "block (" + i + ", " + j + ") partly pruned");
                if (nz > 0) kept++;
            }
        }
        assertEquals(48 - Math.round(0.75 * 48), kept);
        assertEquals(1.0, BlockCsrLinear.fill(m, 4, 4));
    }
}
