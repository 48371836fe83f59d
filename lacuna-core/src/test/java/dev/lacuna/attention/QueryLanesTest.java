// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.VectorPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query-lane kernel against the naive reference and the flash engine, on ragged lengths (not
 * multiples of the 6-key tile or the QB-query block) and head dims (not multiples of the 4-column
 * tile), with row ranges and log-sum-exp; and the dense kernel's routing between the two.
 */
@VectorPaths
class QueryLanesTest {
    /** The kernel itself, on any machine (with 16 vector registers it is correct, only not used). */
    private static float[] lanes(Fixtures f, int head, int rowFrom, int rowTo, float[] lse) {
        float[] out = new float[f.tokens * f.stride];
        java.util.Arrays.fill(out, Float.NaN);
        long kept = new QueryLanes().attendRows(f.q, f.k, f.v, out, f.stride, f.start, f.length, head * f.headDim, f.headDim, f.scale, rowFrom, rowTo, lse);
        assertEquals((long) (rowTo - rowFrom) * f.length, kept, "attended pairs");
        return out;
    }

    @ParameterizedTest
    @CsvSource({"1,32", "5,32", "6,32", "7,32", "63,32", "64,32", "65,32", "130,32", "255,32", "300,64", "77,24", "70,7", "129,96", "1024,32"})
    void lanesEqualTheNaiveReferenceAndFlash(int length, int headDim) {
        Fixtures f = new Fixtures(length * 131L + headDim, length, 3, headDim, 1.5f);
        for (int h = 0; h < 3; h++) {
            float[] ref = f.run(new DenseAttention(), h);
            float[] got = lanes(f, h, 0, length, null);
            double err = f.maxDiff(ref, got, h);
            assertTrue(err < 1e-5, "length " + length + " D " + headDim + " head " + h + ": max error to the reference " + err);
            float[] flash = new float[f.tokens * f.stride];
            java.util.Arrays.fill(flash, Float.NaN);
            new FlashAttention().flashRows(f.q, f.k, f.v, flash, f.stride, f.start, length, h * headDim, headDim, f.scale, 0, length, null);
            double fe = f.maxDiff(flash, got, h);
            assertTrue(fe < 1e-5, "length " + length + " D " + headDim + " head " + h + ": max difference to flash " + fe);
            assertTrue(f.maxDiff(ref, flash, h) < 1e-5, "flash, bidirectional, against the reference");
        }
    }

    @Test
    void rowRangesWriteOnlyTheirRowsAndLseIsTheLogOfTheMass() {
        Fixtures f = new Fixtures(17, 200, 2, 32, 2f);
        float[] whole = lanes(f, 1, 0, 200, null);
        float[] lse = new float[200];
        float[] part = lanes(f, 1, 70, 141, lse);   // starts inside a query block, ends inside another
        for (int t = 0; t < f.tokens; t++) {
            for (int c = 0; c < f.stride; c++) {
                int i = t * f.stride + c, row = t - f.start;
                boolean mine = row >= 70 && row < 141 && c / 32 == 1;
                if (mine) assertEquals(whole[i], part[i], 0f, "row " + row + " col " + c + " as in the whole run");
                else assertTrue(Float.isNaN(part[i]), "cell (" + t + ", " + c + ") written");
            }
        }
        float[] ref = f.lse(new DenseAttention(), 1);
        for (int t = 70; t < 141; t++) assertEquals(ref[t], lse[t], 1e-4 * Math.max(1, Math.abs(ref[t])), "lse row " + t);
        assertEquals(0f, lse[69], 0f, "lse outside the rows untouched");
        assertEquals(0f, lse[141], 0f, "lse outside the rows untouched");
    }

    @Test
    void theDenseKernelRoutesByLengthAndCausality() {
        Fixtures f = new Fixtures(3, 300, 1, 32, 1f);
        float[] viaDense = f.run(new FlashAttention(), 0);
        float[] flash = new float[f.tokens * f.stride];
        java.util.Arrays.fill(flash, Float.NaN);
        new FlashAttention().flashRows(f.q, f.k, f.v, flash, f.stride, f.start, 300, 0, 32, f.scale, 0, 300, null);
        assertArrayEquals(QueryLanes.AVAILABLE ? lanes(f, 0, 0, 300, null) : flash, viaDense,
                "bidirectional, 300 tokens: " + (QueryLanes.AVAILABLE ? "query lanes" : "flash (16 vector registers)"));
        assertArrayEquals(f.run(new FlashAttention(true, 64), 0), causalFlash(f), "causal: always flash");
        Fixtures longer = new Fixtures(4, QueryLanes.MAX_LENGTH + 1, 1, 32, 1f);
        float[] lf = new float[longer.tokens * longer.stride];
        java.util.Arrays.fill(lf, Float.NaN);
        new FlashAttention().flashRows(longer.q, longer.k, longer.v, lf, longer.stride, longer.start, longer.length, 0, 32, longer.scale, 0, longer.length, null);
        assertArrayEquals(lf, longer.run(new FlashAttention(), 0), "past MAX_LENGTH: flash");
        assertThrows(IllegalArgumentException.class, () -> lanes(longer, 0, 0, 1, null));
    }

    private static float[] causalFlash(Fixtures f) {
        float[] out = new float[f.tokens * f.stride];
        java.util.Arrays.fill(out, Float.NaN);
        new FlashAttention(true, 64).flashRows(f.q, f.k, f.v, out, f.stride, f.start, f.length, 0, 32, f.scale, 0, f.length, null);
        return out;
    }
}
