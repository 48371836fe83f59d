// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.kernel.Gemm;
import dev.lacuna.kernel.PackedMatrix;

import java.util.Arrays;

/**
 * The trainable arrays of an SAE, in Lacuna's layout (both weight matrices latent-major, so that one
 * latent's encoder and decoder directions are contiguous rows and the sparse passes touch k rows):
 * <pre>
 *   wEnc         [d_sae, d_in]  row j: encoder direction of latent j (SAELens W_enc is its transpose)
 *   bEnc         [d_sae]
 *   wDec         [d_sae, d_in]  row j: decoder direction of latent j (as SAELens W_dec)
 *   bDec         [d_in]
 *   logThreshold [d_sae]        jumprelu only (log θ); zeros otherwise
 *   threshold    [d_sae]        inference threshold of batchtopk / mutualchoice / featurechoice
 *                               (an estimate, not trained by gradient); zeros otherwise
 * </pre>
 * Used for parameters, their gradients and Adam's moments alike.
 */
public final class SaeParams {
    public final int dIn, dSae;
    public final float[] wEnc, bEnc, wDec, bDec, logThreshold, threshold;
    private PackedMatrix packedEnc;
    private boolean encStale = true;

    public SaeParams(int dIn, int dSae) {
        this.dIn = dIn;
        this.dSae = dSae;
        wEnc = new float[dSae * dIn];
        bEnc = new float[dSae];
        wDec = new float[dSae * dIn];
        bDec = new float[dIn];
        logThreshold = new float[dSae];
        threshold = new float[dSae];
    }

    /** All arrays in a fixed order, with their names in trainer state files. */
    static final String[] NAMES = {"W_enc", "b_enc", "W_dec", "b_dec", "log_threshold", "threshold"};

    float[][] all() {
        return new float[][] {wEnc, bEnc, wDec, bDec, logThreshold, threshold};
    }

    /** Zeroes the vectors, not the two [d_sae, d_in] matrices. */
    void zeroSmall() {
        for (float[] a : new float[][] {bEnc, bDec, logThreshold, threshold}) Arrays.fill(a, 0f);
    }

    SaeParams copy() {
        SaeParams c = new SaeParams(dIn, dSae);
        float[][] s = all(), d = c.all();
        for (int i = 0; i < s.length; i++) System.arraycopy(s[i], 0, d[i], 0, s[i].length);
        return c;
    }

    /**
     * wEnc packed for {@link Gemm#matmul}; call {@link #changed()} after writing wEnc. The packed copy
     * is allocated once and repacked in place (by the team) when stale: training repacks every step.
     */
    synchronized PackedMatrix packedEnc(dev.lacuna.concurrent.Parallel par) {
        if (packedEnc == null) packedEnc = Gemm.pack(wEnc, dSae, dIn);
        else if (encStale) Gemm.repack(par, wEnc, packedEnc);
        encStale = false;
        return packedEnc;
    }

    synchronized void changed() {
        encStale = true;
    }
}
