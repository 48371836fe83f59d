package dev.lacuna.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import dev.lacuna.VectorPaths;
import org.junit.jupiter.api.Test;

@VectorPaths
class AdamTest {
    /** Vector and scalar paths agree bit for bit on sizes around the vector length, and match Adam's first step. */
    @Test
    void vectorMatchesScalarReference() {
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
            Adam.scalar(p, m, v, g, 0, n, 1e-3f, 0.19f, 0.002f);
            Adam.vector(p2, m2, v2, g, 0, n, 1e-3f, 0.19f, 0.002f);
            assertArrayEquals(p, p2, "p, n=" + n);
            assertArrayEquals(m, m2, "m, n=" + n);
            assertArrayEquals(v, v2, "v, n=" + n);
        }
        // first step from zero moments moves each parameter by lr·sign(g) (up to ε)
        float[] p = {1f, 1f}, m = new float[2], v = new float[2], g = {0.5f, -2f};
        Adam.vector(p, m, v, g, 0, 2, 0.01f, 1 - Adam.B1, 1 - Adam.B2);
        assertEquals(0.99f, p[0], 1e-6f);
        assertEquals(1.01f, p[1], 1e-6f);
    }
}
