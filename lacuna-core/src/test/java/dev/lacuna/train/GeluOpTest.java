// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Random;

import dev.lacuna.VectorPaths;

import static dev.lacuna.train.GradientCheck.checkAll;
import static dev.lacuna.train.GradientCheck.randn;
import static dev.lacuna.train.GradientCheck.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GeluOpTest {
    /** 37 values spread over [-6, 6], where GELU bends (and its derivative overshoots 1). */
    @Test
    void backwardMatchesFiniteDifferences() {
        int n = 37;
        Random rnd = new Random(3);
        float[] u = randn(rnd, n, 2.5), r = randn(rnd, n, 1), a = new float[n], du = new float[n];
        GeluOp.forward(Parallel.serial(), u, a, n);
        GeluOp.backward(Parallel.serial(), u, r, du, n);
        double[] ud = toDouble(u);
        checkAll("du", ud, du, () -> GradientCheck.dot(DoubleOps.gelu(ud), r));
    }

    /** The vector backward against the double reference on sizes around the vector length and a wide range of u. */
    @Test
    @VectorPaths
    void vectorMatchesScalarReference() {
        for (int n : new int[] {1, 7, 15, 16, 17, 33, 1000}) {
            Random rnd = new Random(n);
            float[] u = randn(rnd, n, 3), da = randn(rnd, n, 1), ref = new float[n], vec = new float[n];
            if (n == 1000) for (int i = 0; i < 40; i++) u[i] = (i - 20) * 0.5f;   // -10 .. 9.5, both tails
            GeluOp.scalar(u, da, ref, 0, n);
            GeluOp.Vector.backward(u, da, vec, 0, n);
            for (int i = 0; i < n; i++) assertEquals(ref[i], vec[i], 2e-6 * Math.max(1, Math.abs(da[i])), "n=" + n + ", u=" + u[i]);
        }
    }

    /** The one-pass forward gives Ops.gelu's bits, with a tail and on any team. */
    @org.junit.jupiter.api.Test
    void forwardIsOpsGelu() {
        java.util.Random rnd = new java.util.Random(3);
        int n = (1 << 15) + 13;
        float[] u = GradientCheck.randn(rnd, n, 3), a = new float[n], expected = u.clone();
        dev.lacuna.kernel.Ops.gelu(dev.lacuna.concurrent.Parallel.serial(), expected, n);
        try (dev.lacuna.concurrent.Parallel par = new dev.lacuna.concurrent.Parallel(3)) {
            GeluOp.forward(par, u, a, n);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, a, 0f);
    }
}
