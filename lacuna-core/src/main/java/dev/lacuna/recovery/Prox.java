// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

/**
 * The proximal operator of a separable penalty λ·φ: prox(v) = argmin_x ½(x − v)² + step·λ·φ(x), one
 * coordinate at a time. {@code columnNorm} is ||a_j|| of the coordinate's dictionary column (CEL0 uses it).
 */
public interface Prox {
    double apply(double v, double step, double columnNorm);

    /** The penalty λ·φ(x) of one coordinate (for objectives and the brute-force reference). */
    double penalty(double x, double columnNorm);

    /** A short name for tables ("soft", "hard", "lq0.5", "cel0"). */
    String name();
}
