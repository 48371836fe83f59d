// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.junit.jupiter.api.Test;

import dev.lacuna.VectorPaths;
import dev.lacuna.kernel.internal.Species;
import dev.lacuna.kernel.internal.VectorKernels;

/** The Vector API building blocks: exp and the fixed-order lane sum. */
@VectorPaths
class VectorMathTest {
    private static final VectorSpecies<Float> SP = Species.FLOAT;
    private static final int L = SP.length();

    @Test
    void expWithinTwoUlps() {
        float[] in = new float[L], out = new float[L];
        double worst = 0;
        int n = 2_000_000;
        for (int i = 0; i < n; i += L) {
            for (int l = 0; l < L; l++) in[l] = (float) (-87.3 + (88.3 + 87.3) * (i + l) / n);
            VectorKernels.exp(FloatVector.fromArray(SP, in, 0)).intoArray(out, 0);
            for (int l = 0; l < L; l++) {
                double want = Math.exp(in[l]);
                double ulps = Math.abs(out[l] - want) / Math.ulp((float) want);
                worst = Math.max(worst, ulps);
            }
        }
        assertTrue(worst <= 2, "exp worst error " + worst + " ulp");
        float[] edge = new float[L];
        float[] vals = {Float.NEGATIVE_INFINITY, -1e30f, -88f, 0f, -0f, 1f, 100f, Float.POSITIVE_INFINITY};
        for (int l = 0; l < L; l++) edge[l] = vals[l % vals.length];
        VectorKernels.exp(FloatVector.fromArray(SP, edge, 0)).intoArray(out, 0);
        for (int l = 0; l < L; l++) {
            float x = edge[l];
            if (x < -87.34f) assertEquals(0f, out[l], "exp(" + x + ")");
            else if (x > 88.3f) assertTrue(Float.isFinite(out[l]) && out[l] > 2e38f, "exp(" + x + ") = " + out[l]);
            else assertEquals((float) Math.exp(x), out[l], 2 * Math.ulp((float) Math.exp(x)), "exp(" + x + ")");
        }
    }

    @Test
    void sumIsPairwise() {
        float[] a = new float[L];
        for (int l = 0; l < L; l++) a[l] = l + 1;
        assertEquals(L * (L + 1) / 2f, VectorKernels.sum(FloatVector.fromArray(SP, a, 0)));
        a[0] = 1e8f;
        a[L / 2] = -1e8f; // cancels in the first halving step, whatever the rest
        float rest = 0;
        for (int l = 1; l < L; l++) if (l != L / 2) rest += a[l];
        assertEquals(rest, VectorKernels.sum(FloatVector.fromArray(SP, a, 0)));
    }
}
