// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.lacuna.train.GradientCheck.checkAll;
import static dev.lacuna.train.GradientCheck.randn;
import static dev.lacuna.train.GradientCheck.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AttentionOpTest {
    @Test
    void oneToken() {
        check(new int[] {0, 1}, 6, 2);
    }

    @Test
    void seventeenTokens() {
        check(new int[] {0, 17}, 6, 3);
    }

    /** Packed sequences of 1, 17 and 5 tokens: no gradient may cross a sequence boundary. */
    @Test
    void severalSequences() {
        check(new int[] {0, 1, 18, 23}, 8, 2);
    }

    private static void check(int[] starts, int c, int h) {
        int t = starts[starts.length - 1];
        float scale = (float) (1 / Math.sqrt(c / h));
        Random rnd = new Random(t * 31 + c);
        float[] q = randn(rnd, t * c, 1), k = randn(rnd, t * c, 1), v = randn(rnd, t * c, 1), r = randn(rnd, t * c, 1);
        float[] z = new float[t * c], dq = new float[t * c], dk = new float[t * c], dv = new float[t * c];
        AttentionOp.forward(Parallel.serial(), q, k, v, z, starts, c, h, scale);
        double[] qd = toDouble(q), kd = toDouble(k), vd = toDouble(v);
        double[] zd = DoubleOps.attention(qd, kd, vd, starts, c, h, scale);
        for (int i = 0; i < z.length; i++) assertEquals(zd[i], z[i], 1e-5, "z " + i);
        AttentionOp.backward(Parallel.serial(), q, k, v, r, starts, c, h, scale, dq, dk, dv);
        java.util.function.DoubleSupplier loss = () -> GradientCheck.dot(DoubleOps.attention(qd, kd, vd, starts, c, h, scale), r);
        if (t > 1) {   // one token attends only to itself: z = v, and q, k have no gradient
            checkAll("dq", qd, dq, loss);
            checkAll("dk", kd, dk, loss);
        } else {
            for (int i = 0; i < c; i++) {
                assertEquals(0f, dq[i], 1e-7f);
                assertEquals(0f, dk[i], 1e-7f);
            }
        }
        checkAll("dv", vd, dv, loss);
        // With P saved by the forward: the same outputs and gradients, bit for bit.
        float[] probs = new float[AttentionOp.probsLength(starts, h)], z2 = new float[t * c];
        float[] dq2 = new float[t * c], dk2 = new float[t * c], dv2 = new float[t * c];
        AttentionOp.forward(Parallel.serial(), q, k, v, z2, starts, c, h, scale, probs);
        AttentionOp.backward(Parallel.serial(), q, k, v, r, starts, c, h, scale, dq2, dk2, dv2, probs);
        org.junit.jupiter.api.Assertions.assertArrayEquals(z, z2, 0f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(dq, dq2, 0f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(dk, dk2, 0f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(dv, dv2, 0f);
    }
}
