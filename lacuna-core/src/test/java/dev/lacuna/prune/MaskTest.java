// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MaskTest {
    @Test
    void bitsCountsAndApply() {
        float[] w = {1, 0, 3, 0, 5, 6, 0};
        Mask m = Mask.ofNonZero(w, 1, 7);
        assertEquals(4, m.keptCount());
        assertEquals(3, m.prunedCount());
        assertEquals(3.0 / 7, m.sparsity(), 1e-12);
        float[] x = {9, 9, 9, 9, 9, 9, 9};
        assertArrayEquals(new float[] {9, 0, 9, 0, 9, 9, 0}, m.apply(x));
        assertEquals(9f, x[1]); // input untouched
        assertEquals(m, Mask.of(m.toBooleanArray(), 1, 7));
    }

    @Test
    void denseMaskOfOddSizeHasNoStrayBits() {
        Mask d = Mask.dense(3, 67); // 201 bits: the last word is partial
        assertEquals(201, d.keptCount());
        assertEquals(0, d.sparsity());
        assertTrue(d.isKept(2, 66));
        assertEquals(0, Mask.ofNonZero(new float[201], 3, 67).and(d).keptCount());
        boolean[] all = new boolean[201];
        java.util.Arrays.fill(all, true);
        assertEquals(d, Mask.of(all, 3, 67));
    }

    @Test
    void andKeepsOnlyWhatBothKeep() {
        Mask a = Mask.of(new boolean[] {true, true, false, false}, 2, 2);
        Mask b = Mask.of(new boolean[] {true, false, true, false}, 2, 2);
        assertEquals(Mask.of(new boolean[] {true, false, false, false}, 2, 2), a.and(b));
        assertThrows(IllegalArgumentException.class, () -> a.and(Mask.dense(1, 4)));
    }

    @Test
    void nOfMCheck() {
        Mask m = Mask.of(new boolean[] {true, true, false, false, false, true, false, true}, 1, 8);
        assertTrue(m.isNofM(2, 4));
        assertFalse(m.isNofM(1, 4));
        assertFalse(m.isNofM(2, 3)); // 3 does not divide 8
    }
}
