// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

import dev.lacuna.LacunaException;

/**
 * λ||x||_q^q for 0 < q < 1, by root-finding per coordinate. For u = |v| the nonzero candidate solves
 * g(x) = x − u + t·λ·q·x^(q−1) = 0 on the branch where g increases (x above x* = (t·λ·q·(1−q))^(1/(2−q)),
 * g's minimum); it is kept only when its objective beats x = 0 (the prox is discontinuous at the threshold).
 */
public record LqThreshold(double lambda, double q) implements Prox {
    public LqThreshold {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new LacunaException("lambda must be finite and >= 0, got " + lambda);
        if (!(q > 0 && q < 1)) throw new LacunaException("q must be in (0, 1), got " + q);
    }

    @Override
    public double apply(double v, double step, double columnNorm) {
        double u = Math.abs(v), tl = step * lambda;
        if (u == 0) return 0;
        if (tl == 0) return v;
        double xStar = Math.pow(tl * q * (1 - q), 1 / (2 - q));
        if (xStar >= u) return 0; // g > 0 on (0, u]: no stationary point on the increasing branch below u
        if (g(xStar, u, tl) > 0) return 0;
        double lo = xStar, hi = u; // g(lo) <= 0 < g(hi) = t·λ·q·u^(q−1)
        for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
            double mid = 0.5 * (lo + hi);
            if (g(mid, u, tl) > 0) hi = mid; else lo = mid;
        }
        double x = 0.5 * (lo + hi);
        double fx = 0.5 * (x - u) * (x - u) + tl * Math.pow(x, q);
        return fx < 0.5 * u * u ? Math.copySign(x, v) : 0;
    }

    private double g(double x, double u, double tl) {
        return x - u + tl * q * Math.pow(x, q - 1);
    }

    @Override
    public double penalty(double x, double columnNorm) {
        return x == 0 ? 0 : lambda * Math.pow(Math.abs(x), q);
    }

    @Override
    public String name() {
        return "lq" + q;
    }
}
