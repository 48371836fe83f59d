// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.lacuna.VectorPaths;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.kernel.internal.Kernels;

@VectorPaths
class RawGemmTest {
    private static float[] rand(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /**
     * Runs C = alpha·A·B (+C) (or A·Bᵀ) with strided operands placed at offsets inside larger arrays,
     * checks against double and that nothing outside C changed.
     */
    private static void check(Kernels kern, boolean transB, int m, int n, int k, float alpha, boolean acc, long seed) {
        Random r = new Random(seed);
        int lda = k + r.nextInt(3), ldb = (transB ? k : n) + r.nextInt(3), ldc = n + r.nextInt(3);
        int aOff = r.nextInt(5), bOff = r.nextInt(5), cOff = r.nextInt(5);
        int bRows = transB ? n : k;
        float[] a = rand(r, aOff + m * lda + 3), b = rand(r, bOff + bRows * ldb + 3), c = rand(r, cOff + m * ldc + 3);
        float[] c0 = c.clone();
        if (transB) kern.gemmRawTransB(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, alpha, acc);
        else kern.gemmRaw(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, alpha, acc);
        String what = kern.name() + (transB ? " A·Bᵀ" : " A·B") + " m=" + m + " n=" + n + " k=" + k + " acc=" + acc;
        boolean[] inC = new boolean[c.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, mag = 0;
                for (int p = 0; p < k; p++) {
                    double t = (double) a[aOff + i * lda + p] * (transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
                    s += t;
                    mag += Math.abs(t);
                }
                int ci = cOff + i * ldc + j;
                inC[ci] = true;
                double want = alpha * s + (acc ? c0[ci] : 0);
                double tol = 1e-5 * Math.sqrt(Math.max(1, k)) * (Math.abs(alpha) * mag + (acc ? Math.abs(c0[ci]) : 0)) + 1e-30;
                assertEquals(want, c[ci], tol, what + " at (" + i + ", " + j + ")");
            }
        }
        for (int i = 0; i < c.length; i++) if (!inC[i]) assertEquals(c0[i], c[i], what + ": wrote outside C at " + i);
    }

    @Test
    void vectorAndScalarMatchReference() {
        Kernels v = KernelProvider.vector();
        assertNotNull(v);
        int l = dev.lacuna.kernel.internal.Species.FLOAT.length();
        long seed = 1;
        for (Kernels kern : new Kernels[] {v, KernelProvider.scalar()}) {
            for (int m : new int[] {1, 3, 4, 5, 9}) {
                for (int n : new int[] {1, l - 1, l, l + 1, 2 * l + 5, 4 * l, 4 * l + 1, 100}) {
                    for (int k : new int[] {0, 1, 7, 32, 33}) {
                        for (boolean transB : new boolean[] {false, true}) {
                            check(kern, transB, m, n, k, seed % 3 == 0 ? 1f : 0.1767767f, seed % 2 == 0, seed);
                            seed++;
                        }
                    }
                }
            }
        }
    }

    @Test
    void attentionShapes() {
        long seed = 99;
        for (int len : new int[] {7, 128, 257}) {
            check(KernelProvider.vector(), true, len, len, 32, 0.17677669f, false, seed++); // scores = Q·Kᵀ·scale
            check(KernelProvider.vector(), false, len, 32, len, 1f, false, seed++);         // context = P·V
        }
    }

    @Test
    void facadeChecksBounds() {
        float[] a = new float[12], b = new float[12], c = new float[9];
        Gemm.matmulRaw(a, 0, 4, b, 0, 3, c, 0, 3, 3, 3, 4, 1f, false);
        Gemm.matmulRawTransB(a, 0, 4, b, 0, 4, c, 0, 3, 3, 3, 4, 1f, false);
        assertThrows(IllegalArgumentException.class, () -> Gemm.matmulRaw(a, 1, 4, b, 0, 3, c, 0, 3, 3, 3, 4, 1f, false));
        assertThrows(IllegalArgumentException.class, () -> Gemm.matmulRaw(a, 0, 3, b, 0, 3, c, 0, 3, 3, 3, 4, 1f, false));
        assertThrows(IllegalArgumentException.class, () -> Gemm.matmulRaw(a, 0, 4, b, 0, 3, c, 1, 3, 3, 3, 4, 1f, false));
        assertThrows(IllegalArgumentException.class, () -> Gemm.matmulRawTransB(a, 0, 4, b, 0, 4, c, 0, 3, 3, 4, 4, 1f, false));
        assertThrows(IllegalArgumentException.class, () -> Gemm.matmulRaw(a, 0, 4, b, 0, 3, c, 0, 3, -1, 3, 4, 1f, false));
        // Empty products are no-ops, whatever the offsets.
        Gemm.matmulRaw(a, 0, 4, b, 0, 3, c, 0, 3, 0, 3, 4, 1f, false);
    }
}
