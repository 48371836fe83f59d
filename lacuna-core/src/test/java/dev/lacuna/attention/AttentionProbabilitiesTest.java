// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.VectorPaths;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@VectorPaths
class AttentionProbabilitiesTest {
    @Test
    void probabilitiesAreSoftmaxRows() {
        Fixtures f = new Fixtures(2, 50, 2, 32, 1f);
        float[] p = AttentionProbabilities.of(f.q, f.k, f.stride, f.start, 50, 32, 32, f.scale);
        float[] out = f.run(new DenseAttention(), 1), lse = f.lse(new DenseAttention(), 1);
        for (int i = 0; i < 50; i++) {
            double s = 0;
            for (int j = 0; j < 50; j++) s += p[i * 50 + j];
            assertEquals(1.0, s, 1e-5);
            double sc = 0;
            for (int d = 0; d < 32; d++) sc += f.q[(f.start + i) * f.stride + 32 + d] * f.k[(f.start + 7) * f.stride + 32 + d];
            assertEquals(Math.exp(sc * f.scale - lse[i]), p[i * 50 + 7], 1e-5);
        }
        assertTrue(out.length > 0);
    }
}
