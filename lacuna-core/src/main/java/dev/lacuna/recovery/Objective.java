// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

/** F(x) = ½||y − A x||² + Σ_j λ·φ(x_j) for a separable penalty given by its {@link Prox}. */
public final class Objective {
    private Objective() {}

    public static double value(Dictionary a, double[] y, double[] x, Prox prox) {
        double[] r = Vectors.residual(a, y, x);
        double[] norms = a.columnNorms();
        double s = 0.5 * Vectors.dot(r, r);
        for (int j = 0; j < x.length; j++) s += prox.penalty(x[j], norms[j]);
        return s;
    }
}
