// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ContextualTermWeightsTest {
    // one document of 6 tokens, C = 2: [CLS] t5 t7 t5 t9 [SEP]; pooled embedding (1, 0)
    static final int[] IDS = {101, 5, 7, 5, 9, 102};
    static final float[] HIDDEN = {
            0.3f, 0.3f,   // [CLS]: special, skipped
            2, 0,         // t5: cos 1
            1, 1,         // t7: cos 0.7071
            0, 1,         // t5 again: cos 0, adds nothing
            -1, 0,        // t9: cos -1, dropped
            5, 0};        // [SEP]: special, skipped
    static final float[] POOLED = {1, 0};
    static final float[] IDF = new float[110];

    static {
        IDF[5] = 0.5f;
        IDF[7] = 2.0f;
        IDF[9] = 3.0f;
    }

    private static SparseVector weigh(double avgLen, ContextualTermWeights.Settings s) {
        return ContextualTermWeights.weigh(IDS, HIDDEN, 0, 6, 2, POOLED, id -> id >= 100, IDF, avgLen, s);
    }

    @Test
    void weightsAreBm25SaturatedContextualFrequencies() {
        // len = avglen: w = tf_c * 2.2 / (tf_c + 1.2); t5: tf_c = 1 -> 1.0; t7: tf_c = sqrt(0.5) -> 0.815704
        // IDF-weighted mass: t7 1.6314 before t5 0.5, so t7 comes first
        SparseVector v = weigh(6, new ContextualTermWeights.Settings(1.0, 100));
        assertArrayEquals(new int[] {7, 5}, v.ids());
        assertEquals(0.815704, v.weights()[0], 1e-5);
        assertEquals(1.0, v.weights()[1], 1e-6);
    }

    @Test
    void longerThanAverageDocumentsWeighLess() {
        // len 6, avglen 3: the k1 term becomes 1.2 * (0.25 + 0.75 * 2) = 2.1
        SparseVector v = weigh(3, new ContextualTermWeights.Settings(1.0, 100));
        assertEquals(0.554177, v.weights()[0], 1e-5);   // t7: 0.7071 * 2.2 / (0.7071 + 2.1)
        assertEquals(0.709677, v.weights()[1], 1e-5);   // t5: 2.2 / 3.1
    }

    @Test
    void pruningKeepsTheIdfWeightedMassFraction() {
        // t7 holds 1.6314 / 2.1314 = 76.5% of the mass: enough for 0.7, not for 0.9
        assertArrayEquals(new int[] {7}, weigh(6, new ContextualTermWeights.Settings(0.7, 100)).ids());
        assertArrayEquals(new int[] {7, 5}, weigh(6, new ContextualTermWeights.Settings(0.9, 100)).ids());
        assertArrayEquals(new int[] {7}, weigh(6, new ContextualTermWeights.Settings(1.0, 1)).ids());
    }

    @Test
    void bm25IdfIsPositiveAndFallsWithDocumentFrequency() {
        assertEquals(Math.log1p((100 - 1 + 0.5) / 1.5), ContextualTermWeights.idf(1, 100), 1e-6);
        assertEquals(Math.log1p(0.5 / 100.5), ContextualTermWeights.idf(100, 100), 1e-6);
    }
}
