// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.sparse.MaskSelection;
import dev.lacuna.sparse.SparsityPattern;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** {@link MaskSelection} seen through the {@link Mask}s the pruners build from it. */
class MaskSelectionTest {
    private static Mask select(double[] scores, int n, int k, SparsityPattern p, double sparsity, MaskSelection.Group group) {
        return Mask.of(MaskSelection.select(scores, n, k, p, sparsity, group), n, k);
    }

    private static double[] scores(long seed, int n) {
        Random r = new Random(seed);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = r.nextDouble();
        return s;
    }

    @Test
    void unstructuredPrunesExactlyTheLowestAcrossTheLayer() {
        int[][] shapes = {{1, 1}, {7, 13}, {33, 65}, {64, 64}};
        for (int[] sh : shapes) {
            for (double s : new double[] {0, 0.3, 0.5, 0.7, 0.99}) {
                int n = sh[0], k = sh[1];
                double[] sc = scores(n * 31L + k, n * k);
                Mask m = select(sc, n, k, SparsityPattern.UNSTRUCTURED, s, MaskSelection.Group.LAYER);
                assertEquals(Math.round(s * (n * k)), m.prunedCount(), n + "x" + k + " at " + s);
                double maxPruned = Double.NEGATIVE_INFINITY, minKept = Double.POSITIVE_INFINITY;
                for (int i = 0; i < sc.length; i++) {
                    if (m.isKept(i)) minKept = Math.min(minKept, sc[i]);
                    else maxPruned = Math.max(maxPruned, sc[i]);
                }
                assertTrue(maxPruned <= minKept, "a pruned weight outscores a kept one");
            }
        }
    }

    @Test
    void perRowComparisonKeepsTheExactTotalAndBalancesRows() {
        int n = 9, k = 10;
        double s = 0.37; // 33.3 -> 33 zeros: 3 per row and 6 rows with one more
        double[] sc = scores(3, n * k);
        Mask m = select(sc, n, k, SparsityPattern.UNSTRUCTURED, s, MaskSelection.Group.ROW);
        assertEquals(33, m.prunedCount());
        int four = 0;
        for (int r = 0; r < n; r++) {
            int pruned = k - m.keptInRow(r);
            assertTrue(pruned == 3 || pruned == 4, "row " + r + " pruned " + pruned);
            if (pruned == 4) four++;
            double maxPruned = Double.NEGATIVE_INFINITY, minKept = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (m.isKept(r, c)) minKept = Math.min(minKept, sc[r * k + c]);
                else maxPruned = Math.max(maxPruned, sc[r * k + c]);
            }
            assertTrue(maxPruned <= minKept, "row " + r);
        }
        assertEquals(6, four);
    }

    @Test
    void perRowComparisonDiffersFromLayerWhenRowsDifferInScale() {
        int n = 2, k = 4;
        double[] sc = {1, 2, 3, 4, 10, 20, 30, 40};
        Mask row = select(sc, n, k, SparsityPattern.UNSTRUCTURED, 0.5, MaskSelection.Group.ROW);
        Mask layer = select(sc, n, k, SparsityPattern.UNSTRUCTURED, 0.5, MaskSelection.Group.LAYER);
        assertEquals(2, row.keptInRow(0));
        assertEquals(2, row.keptInRow(1));
        assertEquals(0, layer.keptInRow(0));
        assertEquals(4, layer.keptInRow(1));
    }

    @Test
    void nOfMKeepsTheTopNOfEveryGroup() {
        int n = 5, k = 24;
        for (int[] nm : new int[][] {{2, 4}, {4, 8}, {1, 4}, {3, 8}, {1, 2}}) {
            double[] sc = scores(nm[0] * 10L + nm[1], n * k);
            SparsityPattern.NofM p = new SparsityPattern.NofM(nm[0], nm[1]);
            Mask m = select(sc, n, k, p, p.sparsity(), MaskSelection.Group.ROW);
            assertEquals(Math.round(p.sparsity() * n * k), m.prunedCount(), p.spelling());
            assertTrue(m.isNofM(nm[0], nm[1]));
            for (int r = 0; r < n; r++) {
                for (int g = 0; g < k; g += nm[1]) {
                    int kept = 0;
                    double minKept = Double.POSITIVE_INFINITY, maxPruned = Double.NEGATIVE_INFINITY;
                    for (int j = g; j < g + nm[1]; j++) {
                        if (m.isKept(r, j)) {
                            kept++;
                            minKept = Math.min(minKept, sc[r * k + j]);
                        } else {
                            maxPruned = Math.max(maxPruned, sc[r * k + j]);
                        }
                    }
                    assertEquals(nm[0], kept, p.spelling() + " row " + r + " group " + g);
                    assertTrue(maxPruned <= minKept);
                }
            }
        }
    }

    @Test
    void blocksArePrunedWholeByTheirScoreSums() {
        int n = 8, k = 12, br = 2, bc = 3; // 4 x 4 = 16 blocks; 0.4 -> 6 blocks
        double[] sc = scores(11, n * k);
        Mask m = select(sc, n, k, new SparsityPattern.Block(br, bc), 0.4, MaskSelection.Group.LAYER);
        assertEquals(6L * br * bc, m.prunedCount());
        double maxPruned = Double.NEGATIVE_INFINITY, minKept = Double.POSITIVE_INFINITY;
        for (int r0 = 0; r0 < n; r0 += br) {
            for (int c0 = 0; c0 < k; c0 += bc) {
                boolean first = m.isKept(r0, c0);
                double sum = 0;
                for (int r = r0; r < r0 + br; r++) {
                    for (int c = c0; c < c0 + bc; c++) {
                        assertEquals(first, m.isKept(r, c), "block (" + r0 + ", " + c0 + ") is split");
                        sum += sc[r * k + c];
                    }
                }
                if (first) minKept = Math.min(minKept, sum);
                else maxPruned = Math.max(maxPruned, sum);
            }
        }
        assertTrue(maxPruned <= minKept);
    }

    @Test
    void tiesArePrunedInOrder() {
        double[] sc = new double[10];
        Mask m = select(sc, 2, 5, SparsityPattern.UNSTRUCTURED, 0.3, MaskSelection.Group.LAYER);
        assertEquals(3, m.prunedCount());
        assertFalse(m.isKept(0));
        assertFalse(m.isKept(1));
        assertFalse(m.isKept(2));
        assertTrue(m.isKept(3));
    }
}
