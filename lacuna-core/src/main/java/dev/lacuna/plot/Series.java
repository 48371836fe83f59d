// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.plot;

/**
 * One named line or set of points of a chart.
 *
 * @param name  legend label
 * @param x     x values
 * @param y     y values, same length as x
 * @param lines whether points are joined by lines (else markers only)
 */
public record Series(String name, double[] x, double[] y, boolean lines) {
    public Series {
        if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
    }
}
