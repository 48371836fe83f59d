// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.VectorPaths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@VectorPaths
class FlashAttentionTest {
    @ParameterizedTest
    @CsvSource({"1,32", "7,32", "16,32", "17,32", "100,32", "300,32", "1,64", "17,64", "100,64", "300,64",
            "33,24", "65,40", "70,8", "129,96"})
    void flashEqualsNaiveReference(int length, int headDim) {
        for (boolean causal : new boolean[] {false, true}) {
            Fixtures f = new Fixtures(length * 31L + headDim, length, 3, headDim, 1.5f);
            for (int h = 0; h < 3; h++) {
                float[] ref = f.run(new DenseAttention(null, causal), h);
                for (int tile : new int[] {32, 64, 128}) {
                    float[] got = f.run(new FlashAttention(causal, tile), h);
                    double err = f.maxDiff(ref, got, h);
                    assertTrue(err < 1e-5, "length " + length + " D " + headDim + " causal " + causal + " tile " + tile
                            + " head " + h + ": max error " + err);
                }
            }
        }
    }

    @Test
    void lseIsLogOfSoftmaxMass() {
        Fixtures f = new Fixtures(5, 150, 2, 32, 2f);
        for (boolean causal : new boolean[] {false, true}) {
            float[] ref = f.lse(new DenseAttention(null, causal), 1);
            float[] got = f.lse(new FlashAttention(causal, 64), 1);
            for (int t = 0; t < 150; t++) assertEquals(ref[t], got[t], 1e-4 * Math.max(1, Math.abs(ref[t])), "row " + t);
        }
    }

    @Test
    void rowRangeWritesOnlyThoseRows() {
        Fixtures f = new Fixtures(9, 200, 1, 32, 1f);
        float[] all = f.run(new FlashAttention(), 0);
        float[] out = new float[f.tokens * f.stride];
        java.util.Arrays.fill(out, Float.NaN);
        long kept = new FlashAttention().attendRows(f.q, f.k, f.v, out, f.stride, f.start, 200, 0, 32, f.scale,
                new float[0], 70, 133, null);
        assertEquals(63L * 200, kept);
        for (int t = 0; t < f.tokens; t++) {
            for (int c = 0; c < 32; c++) {
                int i = t * 32 + c;
                int rel = t - f.start;
                if (rel >= 70 && rel < 133) assertEquals(all[i], out[i], 1e-6);
                else assertTrue(Float.isNaN(out[i]), "row " + rel + " written");
            }
        }
    }

    @Test
    void largeScoresDoNotOverflow() {
        Fixtures f = new Fixtures(11, 77, 1, 32, 12f); // scores of several hundred
        double err = f.maxDiff(f.run(new DenseAttention(), 0), f.run(new FlashAttention(), 0), 0);
        assertTrue(err < 1e-4, "max error " + err);
    }
}
