// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central finite differences in double precision: the loss is computed by a double-precision copy of
 * the forward, the parameter perturbed in place by ±h. The error of a checked tensor is
 * max |analytic − numeric| / max |numeric| over the checked entries (a relative error that a
 * gradient near zero cannot inflate), asserted below {@value #TOLERANCE}.
 */
final class GradientCheck {
    static final double TOLERANCE = 1e-3;
    static final double H = 1e-5;

    private GradientCheck() {}

    /** The numeric gradient of {@code loss} on {@code param[i]}. */
    static double numeric(double[] param, int i, DoubleSupplier loss) {
        double old = param[i];
        param[i] = old + H;
        double up = loss.getAsDouble();
        param[i] = old - H;
        double down = loss.getAsDouble();
        param[i] = old;
        return (up - down) / (2 * H);
    }

    /** Checks {@code analytic} against the numeric gradient on {@code indices} of {@code param}; returns the error. */
    static double check(String what, double[] param, float[] analytic, int[] indices, DoubleSupplier loss) {
        double maxNum = 0, maxDiff = 0;
        for (int i : indices) {
            double n = numeric(param, i, loss);
            maxNum = Math.max(maxNum, Math.abs(n));
            maxDiff = Math.max(maxDiff, Math.abs(n - analytic[i]));
        }
        assertTrue(maxNum > 0, what + ": every checked numeric gradient is 0 (the check would prove nothing)");
        double err = maxDiff / maxNum;
        assertTrue(err < TOLERANCE, what + ": relative error " + err + " (max |numeric| " + maxNum + ")");
        return err;
    }

    /** Checks every entry. */
    static double checkAll(String what, double[] param, float[] analytic, DoubleSupplier loss) {
        return check(what, param, analytic, all(param.length), loss);
    }

    static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    /** {@code count} distinct indices in [0, n), or all of them when n is smaller. */
    static int[] sample(Random rnd, int n, int count) {
        if (n <= count) return all(n);
        java.util.LinkedHashSet<Integer> s = new java.util.LinkedHashSet<>();
        while (s.size() < count) s.add(rnd.nextInt(n));
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    static float[] randn(Random rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextGaussian() * scale);
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
