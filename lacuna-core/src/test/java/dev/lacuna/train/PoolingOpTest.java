// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.model.Pooling;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static dev.lacuna.train.GradientCheck.checkAll;
import static dev.lacuna.train.GradientCheck.randn;
import static dev.lacuna.train.GradientCheck.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PoolingOpTest {
    /** Sequences of 1, 17 and 5 tokens. */
    @ParameterizedTest
    @EnumSource(Pooling.class)
    void backwardMatchesFiniteDifferences(Pooling pooling) {
        int c = 9;
        int[] starts = {0, 1, 18, 23};
        int t = 23, b = 3;
        Random rnd = new Random(pooling.ordinal());
        float[] hidden = randn(rnd, t * c, 1), r = randn(rnd, b * c, 1);
        float[][] de = new float[b][c];
        for (int s = 0; s < b; s++) System.arraycopy(r, s * c, de[s], 0, c);
        float[][] e = PoolingOp.forward(pooling, hidden, c, starts);
        double[] hd = toDouble(hidden);
        double[] ed = DoubleOps.pool(pooling, hd, c, starts);
        for (int s = 0; s < b; s++) for (int j = 0; j < c; j++) assertEquals(ed[s * c + j], e[s][j], 1e-6);
        float[] dh = new float[t * c];
        PoolingOp.backward(pooling, hidden, c, starts, de, dh);
        checkAll("dhidden", hd, dh, () -> GradientCheck.dot(DoubleOps.pool(pooling, hd, c, starts), r));
    }
}
