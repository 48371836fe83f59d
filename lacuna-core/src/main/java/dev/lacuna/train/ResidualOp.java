// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Ops;

/**
 * The residual add h = x + r and its backward: the gradient on h flows unchanged to both x and r.
 * Shapes: n elements ([T, C]).
 */
public final class ResidualOp {
    private ResidualOp() {}

    /** x[n] += r[n]. */
    public static void forward(Parallel par, float[] x, float[] r, int n) {
        Ops.addInPlace(par, x, r, n);
    }

    /**
     * dx[n] += dh[n]: the stream's gradient gains the branch's; the branch's own gradient is dh as is.
     *
     * @param dh [n] gradient on h
     * @param dx [n] gradient on x from its other uses, added to
     */
    public static void backward(Parallel par, float[] dh, float[] dx, int n) {
        Ops.addInPlace(par, dx, dh, n);
    }
}
