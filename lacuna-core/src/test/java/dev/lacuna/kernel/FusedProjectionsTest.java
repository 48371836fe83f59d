// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.sparse.CsrLinear;
import dev.lacuna.tensor.FloatTensor;
import dev.lacuna.VectorPaths;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Q, K and V as one GEMM give each projection's own values bit for bit, on any team and shape. */
@VectorPaths
class FusedProjectionsTest {
    private static DenseLinear dense(Random r, int n, int k, boolean bias) {
        float[] w = new float[n * k], b = new float[n];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) b[i] = (float) r.nextGaussian();
        return new DenseLinear(new FloatTensor(new int[] {n, k}, w), bias ? new FloatTensor(new int[] {n}, b) : null);
    }

    @Test
    void oneProductEqualsThreeBitForBit() {
        // 384 and 128 split into whole panels (the direct path); 40 and 100 do not (through a buffer)
        int[][] shapes = {{384, 384}, {128, 96}, {40, 33}, {100, 7}};
        for (int[] sh : shapes) {
            for (boolean bias : new boolean[] {true, false}) {
                Random r = new Random(sh[0] * 31L + sh[1]);
                DenseLinear q = dense(r, sh[0], sh[1], bias), k = dense(r, sh[0], sh[1], bias), v = dense(r, sh[0], sh[1], bias);
                FusedProjections f = FusedProjections.of(q, k, v);
                assertNotNull(f);
                for (int tokens : new int[] {1, 7, 300}) {
                    float[] x = new float[tokens * sh[1]];
                    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                    for (int threads : new int[] {1, 2, 3}) {
                        try (Parallel par = new Parallel(threads)) {
                            float[][] want = new float[3][tokens * sh[0]], got = new float[3][tokens * sh[0]];
                            q.apply(par, x, tokens, want[0]);
                            k.apply(par, x, tokens, want[1]);
                            v.apply(par, x, tokens, want[2]);
                            f.apply(par, x, tokens, got[0], got[1], got[2]);
                            for (int s = 0; s < 3; s++) {
                                assertArrayEquals(want[s], got[s], "shape " + sh[0] + "x" + sh[1] + " bias " + bias + " tokens " + tokens + " threads " + threads + " output " + s);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void onlyDenseProjectionsOfOneShapeFuse() {
        Random r = new Random(1);
        DenseLinear a = dense(r, 64, 32, true), b = dense(r, 64, 32, true);
        assertNull(FusedProjections.of(a, dense(r, 32, 32, true)), "another width");
        assertNull(FusedProjections.of(a, dense(r, 64, 16, true)), "another input");
        assertNull(FusedProjections.of(a, dense(r, 64, 32, false)), "one without a bias");
        assertNull(FusedProjections.of(a, CsrLinear.fromDense(b.weight(), b.bias())), "a sparse kernel");
        assertNull(FusedProjections.of(a), "one projection");
        FusedProjections f = FusedProjections.of(a, b);
        assertThrows(IllegalArgumentException.class, () -> f.apply(null, new float[32], 1, new float[64]));
    }
}
