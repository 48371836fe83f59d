// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Ops;

/**
 * ReLU SAE with an L1 penalty scaled by decoder norms: loss += λ (1/B) Σ_b Σ_j z_bj ||W_dec[j]||
 * (Anthropic, "Training Sparse Autoencoders", April 2024 update); decoder rows are not kept at unit
 * norm, the penalty makes their scale count instead.
 */
public final class ReluSae extends SaeArchitecture {
    static final SaeKind KIND = new SaeKind("relu", ReluSae::new, false, SaeKind.Aux.NONE, SaeKind.Threshold.NONE);

    ReluSae(SaeConfig cfg) {
        super(cfg);
    }

    /** The gate is the bias: z_j > 0 once pre-activation (before b_enc) exceeds q. */
    @Override
    protected void startGate(SaeParams p, int j, float q) {
        p.bEnc[j] = -q;
    }

    @Override
    public String sparsitySetting() {
        return "l1=" + cfg.l1Coefficient();
    }

    @Override
    public boolean unitNormDecoder() {
        return false;
    }

    @Override
    protected void select(Parallel par, float[] pre, int rows, SaeParams p, Codes out) {
        out.fillAbove(par, pre, rows, p.dSae, null);
    }

    private static float[] norms(SaeParams p) {
        float[] n = new float[p.dSae];
        for (int j = 0; j < p.dSae; j++) n[j] = (float) Math.sqrt(Ops.dot(p.wDec, j * p.dIn, p.wDec, j * p.dIn, p.dIn));
        return n;
    }

    @Override
    protected float[] codeGradientOffset(SaeParams p, int rows) {
        float[] n = norms(p);
        float s = (float) (cfg.l1Coefficient() * penaltyScale / rows);
        for (int j = 0; j < n.length; j++) n[j] *= s;
        return n;
    }

    @Override
    protected double penalty(Parallel par, SaeParams p, Work w, SaeParams g) {
        float[] n = norms(p);
        Codes c = w.codes;
        double[] zsum = new double[p.dSae];
        for (int b = 0; b < c.rows; b++) for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) zsum[c.idx[q]] += c.val[q];
        double loss = 0;
        for (int j = 0; j < p.dSae; j++) loss += zsum[j] * n[j];
        double lam = cfg.l1Coefficient() * penaltyScale / c.rows;
        if (g != null) {
            // d/dW_dec[j] of λ/B Σ_b z_bj ||W_dec[j]|| = λ/B (Σ_b z_bj) W_dec[j] / ||W_dec[j]||
            for (int j = 0; j < p.dSae; j++) {
                if (zsum[j] != 0 && n[j] > 0) Ops.axpy((float) (lam * zsum[j] / n[j]), p.wDec, j * p.dIn, g.wDec, j * p.dIn, p.dIn);
            }
        }
        return lam * loss;
    }
}
