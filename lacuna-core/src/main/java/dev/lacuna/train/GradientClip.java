// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import java.util.Collection;

/**
 * Gradient clipping by the global L2 norm, as {@code torch.nn.utils.clip_grad_norm_}: when
 * ‖g‖ = √(Σ over every array of Σ g²) exceeds {@code max}, every gradient is scaled by max/(‖g‖ + 1e-6).
 * The sum runs in double in the arrays' order, so the result does not depend on threads.
 */
public final class GradientClip {
    private GradientClip() {}

    /** The global norm of {@code grads}. */
    public static double norm(Collection<float[]> grads) {
        double ss = 0;
        for (float[] g : grads) {
            double part = 0;
            for (float x : g) part += (double) x * x;
            ss += part;
        }
        return Math.sqrt(ss);
    }

    /**
     * Scales {@code grads} in place when their norm exceeds {@code max} (max ≤ 0: never).
     *
     * @return the norm before clipping
     */
    public static double clip(Collection<float[]> grads, double max) {
        double n = norm(grads);
        if (max > 0 && n > max) {
            float f = (float) (max / (n + 1e-6));
            for (float[] g : grads) for (int i = 0; i < g.length; i++) g[i] *= f;
        }
        return n;
    }
}
