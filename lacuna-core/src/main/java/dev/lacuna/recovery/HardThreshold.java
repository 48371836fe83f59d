// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/** λ||x||_0: v when |v| > sqrt(2·step·λ), else 0. */
public record HardThreshold(double lambda) implements Prox {
    public HardThreshold {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new LacunaException("lambda must be finite and >= 0, got " + lambda);
    }

    @Override
    public double apply(double v, double step, double columnNorm) {
        return Math.abs(v) > Math.sqrt(2 * step * lambda) ? v : 0;
    }

    @Override
    public double penalty(double x, double columnNorm) {
        return x != 0 ? lambda : 0;
    }

    @Override
    public String name() {
        return "hard";
    }
}
