// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

/** The error function, which {@link Math} lacks. */
public final class Erf {
    private Erf() {}

    /**
     * erf(x) with absolute error below 1.2e-7: the Chebyshev fit of erfc from Numerical Recipes
     * (3rd ed., section 6.2, {@code erfccheb} companion), evaluated in double.
     */
    public static double erf(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - ans : ans - 1.0;
    }
}
