// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/** λ||x||_1: sign(v)·max(|v| − step·λ, 0). */
public record SoftThreshold(double lambda) implements Prox {
    public SoftThreshold {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new LacunaException("lambda must be finite and >= 0, got " + lambda);
    }

    @Override
    public double apply(double v, double step, double columnNorm) {
        double a = Math.abs(v) - step * lambda;
        return a > 0 ? Math.copySign(a, v) : 0;
    }

    @Override
    public double penalty(double x, double columnNorm) {
        return lambda * Math.abs(x);
    }

    @Override
    public String name() {
        return "soft";
    }
}
