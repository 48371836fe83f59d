// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.VectorPaths;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.Erf;
import dev.lacuna.kernel.internal.Int8Gemm;
import dev.lacuna.kernel.internal.Int8Panels;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The int8 weights: quantization, the vector GEMM against its scalar reference, and the layer. */
@VectorPaths
class Int8LinearTest {
    /** Odd shapes: 1 and 17 tokens, N and K off every tile and vector width; (M, N, K). */
    static final int[][] SHAPES = {{1, 1, 1}, {1, 37, 29}, {17, 37, 29}, {17, 70, 45}, {6, 16, 8}, {7, 65, 130}, {13, 129, 3}, {32, 200, 96}};

    private static Parallel p1, p3;

    @BeforeAll
    static void teams() {
        p1 = new Parallel(1);
        p3 = new Parallel(3);
    }

    @AfterAll
    static void close() {
        p1.close();
        p3.close();
    }

    static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    static float[] run(Int8Gemm g, Parallel par, float[] x, int m, Int8Weight q, float[] bias, boolean gelu) {
        int nr = g.panelWidth();
        float[] y = new float[m * q.rows()];
        g.gemm(par, x, m, q.cols(), Int8Panels.pack(q.values(), q.rows(), q.cols(), nr), nr, q.rows(), q.scales(), bias, y, gelu);
        return y;
    }

    @Test
    void quantizesPerOutputChannelSymmetrically() {
        float[] w = {0.5f, -1.27f, 0.01f, 0f, 0f, 0f, 3f, 2.99f, -3f};
        Int8Weight q = Int8Weight.quantize(new FloatTensor(new int[] {3, 3}, w));
        assertArrayEquals(new float[] {1.27f / 127, 0f, 3f / 127}, q.scales());
        assertArrayEquals(new byte[] {50, -127, 1, 0, 0, 0, 127, 127, -127}, q.values());
        Random r = new Random(1);
        float[] big = gaussian(r, 40 * 33);
        Int8Weight g = Int8Weight.quantize(new FloatTensor(new int[] {40, 33}, big));
        float[] back = g.dequantize().data();
        for (int j = 0; j < 40; j++) {
            for (int p = 0; p < 33; p++) {
                int i = j * 33 + p;
                assertTrue(Math.abs(back[i] - big[i]) <= g.scales()[j] * 0.5f * 1.0001f, "row " + j + " col " + p);
                assertTrue(g.values()[i] != Byte.MIN_VALUE);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Int8Weight.quantize(new FloatTensor(new int[] {1, 2}, new float[] {1f, Float.NaN})));
        assertThrows(IllegalArgumentException.class, () -> new Int8Weight(1, 1, new byte[] {-128}, new float[] {1f}));
        assertThrows(IllegalArgumentException.class, () -> new Int8Weight(1, 1, new byte[] {1}, new float[] {-1f}));
    }

    @Test
    void vectorKernelMatchesTheScalarReferenceBitForBit() {
        Int8Gemm vec = Int8Gemm.vector();
        assertNotNull(vec, "the Vector API int8 kernels must load in tests (--add-modules jdk.incubator.vector)");
        Random r = new Random(7);
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            Int8Weight q = Int8Weight.quantize(new FloatTensor(new int[] {n, k}, gaussian(r, n * k)));
            float[] x = gaussian(r, m * k), bias = gaussian(r, n);
            String what = m + "x" + n + "x" + k;
            for (float[] b : new float[][] {null, bias}) {
                float[] want = run(Int8Gemm.scalar(), p1, x, m, q, b, false);
                assertArrayEquals(want, run(vec, p1, x, m, q, b, false), what + (b == null ? "" : " + bias"));
                assertArrayEquals(want, run(vec, p3, x, m, q, b, false), what + " on 3 threads");
                assertClose(what, reference(x, m, q, b, false), want, k);
            }
            float[] g = run(vec, p3, x, m, q, bias, true);
            assertClose(what + " gelu", reference(x, m, q, bias, true), g, k);
            assertClose(what + " gelu scalar", reference(x, m, q, bias, true), run(Int8Gemm.scalar(), p1, x, m, q, bias, true), k);
        }
    }

    @Test
    void layerIsTheDenseProductOfTheDequantizedWeightAndIndependentOfThreads() {
        Random r = new Random(3);
        int m = 17, n = 70, k = 45;
        FloatTensor w = new FloatTensor(new int[] {n, k}, gaussian(r, n * k));
        FloatTensor b = new FloatTensor(new int[] {n}, gaussian(r, n));
        Int8Linear l = Int8Linear.quantize(w, b);
        assertEquals("int8", l.kernel());
        assertArrayEquals(Int8Weight.quantize(w).values(), l.int8().values());
        DenseLinear dense = new DenseLinear(l.weight(), b);
        float[] x = gaussian(r, m * k);
        for (Epilogue e : Epilogue.values()) {
            float[] y1 = new float[m * n], y3 = new float[m * n], yd = new float[m * n];
            l.apply(p1, x, m, y1, e);
            l.apply(p3, x, m, y3, e);
            dense.apply(p1, x, m, yd, e);
            assertArrayEquals(y1, y3, e + ": thread count changed the result");
            for (int i = 0; i < y1.length; i++) assertEquals(yd[i], y1[i], 1e-4 * (1 + Math.abs(yd[i])), e + " element " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> l.apply(p1, new float[k - 1], 1, new float[n]));
    }

    /** y = epilogue(x · W'ᵀ + b) in double with W' = diag(scale)·Q; and Σ|x·w'| + |b| for the error bound. */
    static double[][] reference(float[] x, int m, Int8Weight q, float[] bias, boolean gelu) {
        int n = q.rows(), k = q.cols();
        double[] y = new double[m * n], mag = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, a = 0;
                for (int p = 0; p < k; p++) {
                    double t = (double) x[i * k + p] * q.values()[j * k + p] * q.scales()[j];
                    s += t;
                    a += Math.abs(t);
                }
                if (bias != null) {
                    s += bias[j];
                    a += Math.abs(bias[j]);
                }
                if (gelu) {
                    s = s * 0.5 * (1 + Erf.erf(s / Math.sqrt(2)));
                    a = a * 1.2 + 1e-6;
                }
                y[i * n + j] = s;
                mag[i * n + j] = a;
            }
        }
        return new double[][] {y, mag};
    }

    static void assertClose(String what, double[][] ref, float[] y, int k) {
        double tol = 1e-5 * Math.sqrt(Math.max(1, k));
        for (int i = 0; i < y.length; i++) {
            double err = Math.abs(y[i] - ref[0][i]);
            if (!(err <= tol * ref[1][i] + 1e-30)) {
                throw new AssertionError(what + ": element " + i + " is " + y[i] + ", expected " + ref[0][i] + " (err " + err + ")");
            }
        }
    }
}
