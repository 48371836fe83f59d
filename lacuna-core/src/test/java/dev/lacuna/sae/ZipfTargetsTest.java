// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** aux_zipf_loss's targets: Zipf-shaped, at most one firing per token, k per token in all. */
class ZipfTargetsTest {
    @Test
    void targetsAreCappedAtOneFiringPerTokenAndSumToK() {
        double[] t = SaeTrainer.zipfTargets(32, 6144);
        assertEquals(32, Arrays.stream(t).sum(), 1e-9);
        assertEquals(1.0, t[0], 1e-12, "the top ranks are capped at one firing per token");
        for (int r = 1; r < t.length; r++) assertTrue(t[r] <= t[r - 1], "non-increasing at " + r);
        // past the cap, the shape is Zipf: t[r]·(r + 1) is one constant
        int first = 0;
        while (t[first] == 1.0) first++;
        double c = t[first] * (first + 1);
        for (int r = first; r < t.length; r++) assertEquals(c, t[r] * (r + 1), 1e-9 * c, "rank " + r);
        // the plain formula (k / H / rank) asked the top rank for 3.4 firings per token
        double h = 0;
        for (int r = 1; r <= 6144; r++) h += 1.0 / r;
        assertTrue(32 / h > 3.4, "old top target " + 32 / h);
    }

    @Test
    void smallCaseByHand() {
        // k = 3 of 5: 1 + c/2 + c/3 + c/4 + c/5 = 3, so c = 2 / (77/60) = 120/77
        double c = 120.0 / 77;
        assertArrayEquals(new double[] {1, c / 2, c / 3, c / 4, c / 5}, SaeTrainer.zipfTargets(3, 5), 1e-12);
        assertArrayEquals(new double[] {1, 1, 1}, SaeTrainer.zipfTargets(3, 3), 0);
    }

    /**
     * The densest latent firing on every token, the others at their targets: none is under-used. With
     * the uncapped targets the densest one was flagged (1.0 < half of 3.4) and got the auxiliary loss on
     * every step.
     */
    @Test
    void aLatentFiringOnEveryTokenIsNotUnderUsed() {
        int k = 32, l = 6144;
        double[] t = SaeTrainer.zipfTargets(k, l);
        float[] freq = new float[l];
        for (int j = 0; j < l; j++) freq[j] = (float) t[j];
        freq[0] = 1f;
        boolean[] under = SaeTrainer.underUsed(freq, t);
        for (int j = 0; j < l; j++) assertFalse(under[j], "latent " + j);
        // the uncapped targets flag it
        double h = 0;
        for (int r = 1; r <= l; r++) h += 1.0 / r;
        double[] old = new double[l];
        for (int r = 0; r < l; r++) old[r] = k / h / (r + 1);
        assertTrue(SaeTrainer.underUsed(freq, old)[0]);
        // latents that stopped firing sit at the bottom ranks, under those ranks' shares: flagged; the rest not
        for (int j = 6000; j < l; j++) freq[j] = 0f;
        boolean[] tail = SaeTrainer.underUsed(freq, t);
        for (int j = 0; j < l; j++) assertEquals(j >= 6000, tail[j], "latent " + j);
    }
}
