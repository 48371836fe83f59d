// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Ops;

/**
 * JumpReLU SAE (Rajamanoharan et al. 2024, "Jumping Ahead"): z = pre · H(pre − θ_j), θ = exp(log θ)
 * trained through straight-through pseudo-derivatives with a rectangle kernel K of bandwidth ε
 * (ibid., Eq. 11-12): ∂z/∂θ := −(θ/ε) K((pre − θ)/ε), ∂H/∂θ := −(1/ε) K((pre − θ)/ε);
 * loss += λ (1/B) Σ_b ||z_b||₀. The step function passes no gradient to pre (as in the paper).
 */
public final class JumpReluSae extends SaeArchitecture {
    static final SaeKind KIND = new SaeKind("jumprelu", JumpReluSae::new, false, SaeKind.Aux.NONE, SaeKind.Threshold.LEARNED);

    JumpReluSae(SaeConfig cfg) {
        super(cfg);
    }

    /** The gate is θ_j (b_enc stays 0); kept above 1e-3 so that log θ is finite. */
    @Override
    protected void startGate(SaeParams p, int j, float q) {
        p.logThreshold[j] = (float) Math.log(Math.max(q, 1e-3f));
    }

    @Override
    public String sparsitySetting() {
        return "l0=" + cfg.l0Coefficient();
    }

    @Override
    protected void select(Parallel par, float[] pre, int rows, SaeParams p, Codes out) {
        int l = p.dSae;
        float[] theta = new float[l];
        for (int j = 0; j < l; j++) theta[j] = (float) Math.exp(p.logThreshold[j]);
        out.fillAbove(par, pre, rows, l, theta); // theta > 0, so max(0, pre) = pre
    }

    @Override
    protected double penalty(Parallel par, SaeParams p, Work w, SaeParams g) {
        int rows = w.rows, l = p.dSae, d = p.dIn;
        double lam = cfg.l0Coefficient() * penaltyScale;
        double loss = lam * w.codes.nnz() / rows;
        if (g == null) return loss;
        float eps = (float) cfg.jumpReluBandwidth();
        float two = 2f / rows;
        // per latent, over the rows whose pre lies within ε/2 of θ: one thread per latent, rows in order
        par.forRange(l, 64, (s, e) -> {
            for (int j = s; j < e; j++) {
                float theta = (float) Math.exp(p.logThreshold[j]);
                double gt = 0;
                for (int b = 0; b < rows; b++) {
                    float u = w.pre[b * l + j] - theta;
                    if (Math.abs(u) >= eps / 2) continue;
                    float dz = two * Ops.dot(w.err, b * d, p.wDec, j * d, d); // dL_recon/dz_bj
                    gt += dz * (-theta / eps) + lam / rows * (-1.0 / eps);
                }
                g.logThreshold[j] += (float) (gt * theta); // d/dlogθ = θ d/dθ
            }
        });
        return loss;
    }
}
