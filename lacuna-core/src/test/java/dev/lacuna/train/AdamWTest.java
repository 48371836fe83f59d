// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import dev.lacuna.VectorPaths;
import dev.lacuna.concurrent.Parallel;
import org.junit.jupiter.api.Test;

@VectorPaths
class AdamWTest {
    /** Vector and scalar paths agree bit for bit on sizes around the vector length, with and without decay, and match Adam's first step. */
    @Test
    void vectorMatchesScalarReference() {
        for (float decay : new float[] {0f, 0.05f}) {
            for (int n : new int[] {1, 7, 15, 16, 17, 31, 33, 1000}) {
                Random r = new Random(n);
                float[] p = new float[n], m = new float[n], v = new float[n], g = new float[n];
                for (int i = 0; i < n; i++) {
                    p[i] = (float) r.nextGaussian();
                    m[i] = (float) r.nextGaussian() * 0.1f;
                    v[i] = r.nextFloat() * 0.01f;
                    g[i] = (float) r.nextGaussian();
                }
                float[] p2 = p.clone(), m2 = m.clone(), v2 = v.clone();
                AdamW.scalar(p, m, v, g, 0, n, 1e-3f, decay, 0.19f, 0.002f);
                AdamW.vector(p2, m2, v2, g, 0, n, 1e-3f, decay, 0.19f, 0.002f);
                assertArrayEquals(p, p2, "p, n=" + n + ", decay " + decay);
                assertArrayEquals(m, m2, "m, n=" + n);
                assertArrayEquals(v, v2, "v, n=" + n);
            }
        }
        // first step from zero moments moves each parameter by lr·sign(g) (up to ε)
        float[] p = {1f, 1f}, m = new float[2], v = new float[2], g = {0.5f, -2f};
        AdamW.vector(p, m, v, g, 0, 2, 0.01f, 0f, 1 - AdamW.B1, 1 - AdamW.B2);
        assertEquals(0.99f, p[0], 1e-6f);
        assertEquals(1.01f, p[1], 1e-6f);
    }

    /**
     * Two steps by hand, lr 0.01, λ 0.1 (so p shrinks by 1 − lr·λ = 0.999 before each Adam step):
     * step 1 from zero moments moves by lr·sign(g): 1·0.999 − 0.01 = 0.989, −2·0.999 + 0.01 = −1.988.
     * Step 2, g = (−1, 0.75): m = 0.9·(0.05, −0.025) + 0.1·g = (−0.055, 0.0525),
     * v = 0.999·(2.5e-4, 6.25e-5) + 0.001·g² = (1.24975e-3, 6.249375e-4), c1 = 0.19, c2 = 0.001999:
     * p = 0.989·0.999 − 0.01·(−0.055/0.19)/√(1.24975e-3/0.001999) = 0.99167204, and
     * −1.988·0.999 − 0.01·(0.0525/0.19)/√(6.249375e-4/0.001999) = −1.99095390.
     */
    @Test
    void decoupledDecayAndBiasCorrectionMatchAHandComputedStep() {
        float[] p = {1f, -2f}, m = new float[2], v = new float[2];
        try (Parallel par = new Parallel(2)) {
            AdamW.step(par, p, m, v, new float[] {0.5f, -0.25f}, 0.01f, 0.1f, 1);
            assertArrayEquals(new float[] {0.989f, -1.988f}, p, 1e-6f);
            AdamW.step(par, p, m, v, new float[] {-1f, 0.75f}, 0.01f, 0.1f, 2);
        }
        assertArrayEquals(new float[] {-0.055f, 0.0525f}, m, 1e-7f);
        assertArrayEquals(new float[] {1.24975e-3f, 6.249375e-4f}, v, 5e-8f);   // in float, 1 − β2 is 0.000999987
        assertArrayEquals(new float[] {0.99167204f, -1.99095390f}, p, 1e-6f);
    }
}
