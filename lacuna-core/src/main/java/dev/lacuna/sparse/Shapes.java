// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.LacunaException;
import dev.lacuna.tensor.FloatTensor;

/** Argument checks shared by the sparse formats. */
final class Shapes {
    private Shapes() {}

    /** Checks W is [N, K] and b is [N] or null; {@code what} names the format in the message. */
    static void weightAndBias(String what, FloatTensor weight, FloatTensor bias) {
        if (weight == null) throw new LacunaException(what + ": weight is missing");
        if (weight.rank() != 2) throw new LacunaException(what + ": weight must be [N, K], got " + weight.shapeString());
        checkBias(what, weight.dim(0), bias);
    }

    static void checkBias(String what, int rows, FloatTensor bias) {
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != rows)) {
            throw new LacunaException(what + ": bias " + bias.shapeString() + " does not match " + rows + " output rows");
        }
    }

    static void dims(String what, int rows, int cols) {
        if (rows < 0 || cols < 0) throw new LacunaException(what + ": negative shape [" + rows + ", " + cols + "]");
    }

    /** The facade check of {@link dev.lacuna.kernel.Linear#apply}: x [T, K] and y [T, N] large enough. */
    static void apply(String what, float[] x, int tokens, int k, float[] y, int n) {
        if (tokens < 0) throw new IllegalArgumentException(what + ": negative token count " + tokens);
        if (x.length < (long) tokens * k) throw new IllegalArgumentException(what + ": x has " + x.length + " values, [" + tokens + ", " + k + "] needs " + (long) tokens * k);
        if (y.length < (long) tokens * n) throw new IllegalArgumentException(what + ": y has " + y.length + " values, [" + tokens + ", " + n + "] needs " + (long) tokens * n);
    }
}
