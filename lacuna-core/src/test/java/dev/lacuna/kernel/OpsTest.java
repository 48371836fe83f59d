// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.VectorPaths;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.Erf;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.kernel.internal.Kernels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
@VectorPaths
class OpsTest {
    private static final Kernels S = KernelProvider.scalar();
    private static Kernels V;
    private static int L;
    private static Parallel p2;

    @BeforeAll
    static void setUp() {
        V = KernelProvider.vector();
        assertNotNull(V, "the Vector API kernels should load under surefire");
        L = dev.lacuna.kernel.internal.Species.FLOAT.length();
        p2 = new Parallel(2);
    }

    @AfterAll
    static void tearDown() {
        p2.close();
    }

    /** 1, odd sizes, one vector ± 1, a few vectors ± 1, large. */
    private static int[] sizes() {
        return new int[] {1, 2, 3, 7, L - 1, L, L + 1, 2 * L - 1, 2 * L + 1, 4 * L - 1, 4 * L, 4 * L + 1, 5 * L + 3, 32, 384, 1000, 1536, 10007};
    }

    private static float[] rand(Random r, int n, double scale, double shift) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale + shift);
        return a;
    }

    @Test
    void layerNormMatchesDoubleReference() {
        Random r = new Random(1);
        for (int cols : sizes()) {
            for (double[] dist : new double[][] {{1, 0}, {0.01, 100}, {30, -5}, {1e-3, 0}}) {
                int rows = 3;
                float[] x = rand(r, rows * cols, dist[0], dist[1]);
                float[] g = rand(r, cols, 1, 1), b = rand(r, cols, 1, 0);
                float[] xs = x.clone(), xv = x.clone();
                S.layerNorm(xs, 0, rows, cols, g, b, 1e-12f);
                V.layerNorm(xv, 0, rows, cols, g, b, 1e-12f);
                for (int i = 0; i < xs.length; i++) {
                    // |(x-mean)/std·gamma| is O(few); the scalar reference rounds once from double.
                    double scale = Math.abs(g[i % cols]) * Math.max(1, Math.abs((xs[i] - b[i % cols]) / g[i % cols])) + Math.abs(b[i % cols]);
                    assertTrue(Math.abs(xs[i] - xv[i]) <= 1e-5 * scale, "cols=" + cols + " dist=" + Arrays.toString(dist) + " i=" + i + ": " + xv[i] + " vs " + xs[i]);
                }
            }
        }
    }

    @Test
    void layerNormRowRangeAndFacade() {
        Random r = new Random(2);
        int rows = 100, cols = 384;
        float[] x = rand(r, rows * cols, 2, 1), g = rand(r, cols, 1, 1), b = rand(r, cols, 1, 0);
        float[] a = x.clone(), c = x.clone();
        Ops.layerNorm(p2, a, rows, cols, g, b, 1e-12f);
        KernelProvider.get().layerNorm(c, 0, rows, cols, g, b, 1e-12f);
        assertArrayEquals(c, a);
        float[] d = x.clone();
        V.layerNorm(d, 5, 7, cols, g, b, 1e-12f); // only rows 5 and 6 change
        for (int i = 0; i < d.length; i++) {
            if (i < 5 * cols || i >= 7 * cols) assertEquals(x[i], d[i]);
            else assertEquals(c[i], d[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> Ops.layerNorm(p2, new float[10], 3, 4, g, b, 1e-12f));
    }

    @Test
    void addLayerNormIsAddThenLayerNormBitForBit() {
        Random r = new Random(4);
        for (int[] shape : new int[][] {{1, 384}, {17, 384}, {300, 384}, {5, 13}}) {
            int rows = shape[0], cols = shape[1];
            float[] x = rand(r, rows * cols, 2, 1), res = rand(r, rows * cols, 1, 0), g = rand(r, cols, 1, 1), b = rand(r, cols, 1, 0);
            float[] two = x.clone(), fused = x.clone();
            Ops.addInPlace(p2, two, res, rows * cols);
            Ops.layerNorm(p2, two, rows, cols, g, b, 1e-12f);
            Ops.addLayerNorm(p2, fused, res, rows, cols, g, b, 1e-12f);
            assertArrayEquals(two, fused, rows + "x" + cols);
            float[] serial = x.clone();
            Ops.addLayerNorm(Parallel.serial(), serial, res, rows, cols, g, b, 1e-12f);
            assertArrayEquals(fused, serial);
        }
        assertThrows(IllegalArgumentException.class, () -> Ops.addLayerNorm(p2, new float[12], new float[11], 3, 4, new float[4], new float[4], 1e-12f));
    }

    static double geluRef(double x) {
        return x * 0.5 * (1 + Erf.erf(x / Math.sqrt(2)));
    }

    @Test
    void geluWithin1e6OfDoubleFormula() {
        int n = 400_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (-10 + 20.0 * i / (n - 1));
        float[] v = x.clone(), s = x.clone();
        V.gelu(v, 0, n);
        S.gelu(s, 0, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double ref = geluRef(x[i]);
            worst = Math.max(worst, Math.abs(v[i] - ref));
            assertTrue(Math.abs(s[i] - ref) <= 1e-6, "scalar gelu(" + x[i] + ")");
        }
        assertTrue(worst <= 1e-6, "vector gelu worst abs error " + worst);
        // Beyond: saturates to x and 0, no NaN.
        float[] big = {-1e4f, -100f, -30f, 30f, 100f, 1e4f, 0f, -0f};
        V.gelu(big, 0, big.length);
        assertArrayEquals(new float[] {-0f, -0f, -0f, 30f, 100f, 1e4f, 0f, -0f}, big, 1e-30f);
    }

    @Test
    void geluRangesAndFacade() {
        Random r = new Random(4);
        for (int n : sizes()) {
            float[] x = rand(r, n + 8, 3, 0);
            float[] v = x.clone();
            V.gelu(v, 3, n + 3);
            for (int i = 0; i < x.length; i++) {
                if (i < 3 || i >= n + 3) assertEquals(x[i], v[i]);
                else assertEquals(geluRef(x[i]), v[i], 1e-6);
            }
        }
        float[] x = rand(r, 100_000, 3, 0), a = x.clone(), b = x.clone();
        Ops.gelu(p2, a, x.length);
        V.gelu(b, 0, x.length);
        assertArrayEquals(b, a);
    }

    @Test
    void addMatches() {
        Random r = new Random(5);
        for (int n : sizes()) {
            float[] a = rand(r, n + 2, 1, 0), b = rand(r, n + 2, 1, 0);
            float[] s = a.clone(), v = a.clone();
            S.add(s, b, 1, n + 1);
            V.add(v, b, 1, n + 1);
            assertArrayEquals(s, v); // exact: one rounding either way
        }
        float[] a = rand(r, 70_000, 1, 0), b = rand(r, 70_000, 1, 0), c = a.clone();
        Ops.addInPlace(p2, a, b, 69_999);
        S.add(c, b, 0, 69_999);
        assertArrayEquals(c, a);
    }

    @Test
    void softmaxMatches() {
        Random r = new Random(6);
        for (int n : sizes()) {
            for (double scale : new double[] {1, 20, 1e-3}) {
                float[] x = rand(r, n + 6, scale, 3);
                float[] s = x.clone(), v = x.clone();
                S.softmax(s, 4, n);
                V.softmax(v, 4, n);
                double sum = 0;
                for (int i = 0; i < x.length; i++) {
                    if (i < 4 || i >= n + 4) {
                        assertEquals(x[i], v[i]);
                        continue;
                    }
                    assertEquals(s[i], v[i], 2e-6 * s[i] + 1e-30, "n=" + n + " i=" + i);
                    sum += v[i];
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
        float[] inf = {Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY};
        Ops.softmax(inf, 0, 3);
        assertArrayEquals(new float[] {0, 1, 0}, inf);
    }

    @Test
    void dotAndAxpyMatch() {
        Random r = new Random(7);
        for (int n : sizes()) {
            float[] a = rand(r, n + 5, 1, 0), b = rand(r, n + 9, 1, 0);
            double mag = 0;
            for (int i = 0; i < n; i++) mag += Math.abs(a[i + 2] * b[i + 7]);
            float s = S.dot(a, 2, b, 7, n), v = V.dot(a, 2, b, 7, n);
            assertEquals(s, v, 1e-6 * Math.sqrt(n) * mag + 1e-30, "dot n=" + n);
            assertEquals(v, Ops.dot(a, 2, b, 7, n));

            float[] ys = b.clone(), yv = b.clone();
            S.axpy(0.37f, a, 2, ys, 7, n);
            V.axpy(0.37f, a, 2, yv, 7, n);
            for (int i = 0; i < ys.length; i++) assertEquals(ys[i], yv[i], 1e-6 * (Math.abs(b[i]) + 1), "axpy n=" + n);
            Ops.axpy(0.37f, a, 2, b, 7, n);
            assertArrayEquals(yv, b);
        }
        assertEquals(0f, Ops.dot(new float[0], 0, new float[0], 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Ops.dot(new float[4], 1, new float[4], 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> Ops.axpy(1f, new float[4], 0, new float[4], 1, 4));
    }
}
