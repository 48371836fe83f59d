// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/**
 * CEL0, the continuous exact ℓ0 relaxation (Soubies, Blanc-Féraud, Aubert 2015, SIAM J. Imaging Sci.):
 * φ(x) = λ − (a²/2)(|x| − sqrt(2λ)/a)² where |x| <= sqrt(2λ)/a, else λ, with a = ||a_j||. Its prox for
 * step·a² < 1 is closed form: sign(v)·min(|v|, max(0, |v| − sqrt(2λ)·a·step) / (1 − a²·step)).
 */
public record Cel0Threshold(double lambda) implements Prox {
    public Cel0Threshold {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new LacunaException("lambda must be finite and >= 0, got " + lambda);
    }

    @Override
    public double apply(double v, double step, double columnNorm) {
        double a = columnNorm, u = Math.abs(v);
        double denom = 1 - a * a * step;
        if (!(denom > 1e-12)) throw new LacunaException("CEL0 needs step * ||a_j||^2 < 1, got " + step * a * a);
        double x = Math.min(u, Math.max(0, u - Math.sqrt(2 * lambda) * a * step) / denom);
        return x == 0 ? 0 : Math.copySign(x, v);
    }

    @Override
    public double penalty(double x, double columnNorm) {
        double a = columnNorm, t = Math.sqrt(2 * lambda) / a, u = Math.abs(x);
        return u >= t ? lambda : lambda - 0.5 * a * a * (u - t) * (u - t);
    }

    @Override
    public String name() {
        return "cel0";
    }
}
