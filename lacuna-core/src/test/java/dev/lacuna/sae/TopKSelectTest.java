// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import dev.lacuna.VectorPaths;
import org.junit.jupiter.api.Test;

@VectorPaths
class TopKSelectTest {
    /**
     * Both vectorised selections (heap with a vector pre-check, and the stripe-maxima bound) pick the same
     * entries as the scalar heap, ties included, for sizes around the vector length and the stripe width.
     */
    @Test
    void vectorSelectionMatchesScalarReference() {
        Random r = new Random(3);
        for (int n : new int[] {1, 5, 15, 16, 17, 33, 100, 127, 128, 129, 255, 1000, 6144, 6150}) {
            for (int k : new int[] {1, 4, 32, 64, 65}) {
                if (k > n) continue;
                for (int rep = 0; rep < 5; rep++) {
                    float[] v = new float[n + 3];
                    for (int i = 0; i < v.length; i++) v[i] = rep == 0 ? r.nextInt(5) : (float) r.nextGaussian(); // rep 0: many ties
                    int[] i1 = new int[k], i2 = new int[k];
                    float[] v1 = new float[k], v2 = new float[k];
                    int c1 = TopKSae.topK(v, 3, n, k, null, i1, v1), c2 = TopKSae.topKVector(v, 3, n, k, i2, v2);
                    assertEquals(c1, c2);
                    int[] s1 = i1.clone(), s2 = i2.clone();
                    Arrays.sort(s1);
                    Arrays.sort(s2);
                    assertArrayEquals(s1, s2, "n=" + n + " k=" + k + " rep=" + rep);
                    float[] sorted = Arrays.copyOfRange(v, 3, 3 + n);
                    Arrays.sort(sorted);
                    float minSel = Float.MAX_VALUE;
                    for (int q = 0; q < k; q++) minSel = Math.min(minSel, v[3 + i2[q]]);
                    assertEquals(sorted[n - k], minSel, "the k-th largest value is the smallest selected");
                    int[] i3 = new int[k];
                    float[] v3 = new float[k];
                    int c3 = TopKSae.topKBounded(v, 3, n, k, i3, v3, new float[8 * 16]);
                    assertEquals(c1, c3);
                    int[] s3 = i3.clone();
                    Arrays.sort(s3);
                    assertArrayEquals(s1, s3, "bounded: n=" + n + " k=" + k + " rep=" + rep);
                }
            }
        }
    }
}
