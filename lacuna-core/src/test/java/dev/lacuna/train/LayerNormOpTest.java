// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static dev.lacuna.train.GradientCheck.checkAll;
import static dev.lacuna.train.GradientCheck.randn;
import static dev.lacuna.train.GradientCheck.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class LayerNormOpTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 17})
    void backwardMatchesFiniteDifferences(int t) {
        int c = 11;
        float eps = 1e-12f;
        Random rnd = new Random(t);
        float[] x = randn(rnd, t * c, 2), g = randn(rnd, c, 1), b = randn(rnd, c, 1), r = randn(rnd, t * c, 1);
        float[] y = x.clone(), saved = new float[t * c];
        LayerNormOp.forward(Parallel.serial(), y, t, c, g, b, eps, saved);
        assertArrayEquals(x, saved, 0f);
        float[] dx = new float[t * c], dg = new float[c], db = new float[c];
        LayerNormOp.backward(Parallel.serial(), saved, r, t, c, g, eps, dx, dg, db);
        double[] xd = toDouble(x), gd = toDouble(g), bd = toDouble(b);
        java.util.function.DoubleSupplier loss = () -> GradientCheck.dot(DoubleOps.layerNorm(xd, t, c, gd, bd, eps), r);
        checkAll("dx", xd, dx, loss);
        checkAll("dgamma", gd, dg, loss);
        checkAll("dbeta", bd, db, loss);
        // dx may overwrite dy in place.
        float[] inPlace = r.clone();
        LayerNormOp.backward(Parallel.serial(), saved, inPlace, t, c, g, eps, inPlace, null, null);
        assertArrayEquals(dx, inPlace, 0f);
    }

    /** The float-lane backward agrees with the double reference on a model-sized row width with a tail, on any team. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void vectorMatchesTheDoubleReference(int threads) {
        int t = 37, c = 389;
        Random rnd = new Random(threads);
        float[] x = randn(rnd, t * c, 3), g = randn(rnd, c, 1), r = randn(rnd, t * c, 1);
        for (int i = 0; i < x.length; i++) x[i] += 5f;   // an offset mean, as real activations
        float[] dx = new float[t * c], dg = new float[c], db = new float[c];
        float[] rx = new float[t * c], rg = new float[c], rb = new float[c];
        try (Parallel par = new Parallel(threads)) {
            LayerNormOp.backward(par, x, r, t, c, g, 1e-12f, dx, dg, db);
        }
        LayerNormOp.reference(x, r, t, c, g, 1e-12f, rx, rg, rb);
        assertClose("dx", rx, dx);
        assertClose("dgamma", rg, dg);
        assertClose("dbeta", rb, db);
    }

    private static void assertClose(String what, float[] expected, float[] got) {
        double scale = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(expected[i], got[i], 2e-5 * scale, what + " " + i);
        }
    }
}
