// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.lacuna.train.GradientCheck.checkAll;
import static dev.lacuna.train.GradientCheck.randn;
import static dev.lacuna.train.GradientCheck.toDouble;

class ResidualOpTest {
    @Test
    void backwardMatchesFiniteDifferences() {
        int n = 17 * 3;
        Random rnd = new Random(5);
        float[] x = randn(rnd, n, 1), r = randn(rnd, n, 1), dh = randn(rnd, n, 1), other = randn(rnd, n, 1);
        float[] dx = other.clone();
        ResidualOp.backward(Parallel.serial(), dh, dx, n);
        for (int i = 0; i < n; i++) dx[i] -= other[i];       // the gradient from h alone
        double[] xd = toDouble(x), rd = toDouble(r);
        java.util.function.DoubleSupplier loss = () -> GradientCheck.dot(DoubleOps.add(xd, rd), dh);
        checkAll("dx", xd, dx, loss);
        checkAll("dr", rd, dh, loss);
    }
}
