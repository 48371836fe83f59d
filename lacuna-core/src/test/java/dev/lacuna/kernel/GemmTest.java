// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.VectorPaths;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.Erf;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.kernel.internal.Kernels;
import dev.lacuna.kernel.internal.PanelLayout;
import dev.lacuna.kernel.internal.ScalarKernels;
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
class GemmTest {
    private static Parallel p1, p2, p3;

    @BeforeAll
    static void teams() {
        p1 = new Parallel(1);
        p2 = new Parallel(2);
        p3 = new Parallel(3);
    }

    @AfterAll
    static void close() {
        p1.close();
        p2.close();
        p3.close();
    }

    static float[] rand(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** y = x·Wᵀ + b in double, straight from the unpacked W; also Σ|x·w| + |b| for the error bound. */
    static double[][] reference(float[] x, int m, float[] w, int n, int k, float[] bias, boolean gelu) {
        double[] y = new double[m * n], mag = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = bias == null ? 0 : bias[j], a = bias == null ? 0 : Math.abs(bias[j]);
                for (int p = 0; p < k; p++) {
                    double t = (double) x[i * k + p] * w[j * k + p];
                    s += t;
                    a += Math.abs(t);
                }
                if (gelu) {
                    double g = s * 0.5 * (1 + Erf.erf(s / Math.sqrt(2)));
                    a = a * 1.2 + 1e-6; // GELU's slope is within [-0.17, 1.13]; plus its own error
                    s = g;
                }
                y[i * n + j] = s;
                mag[i * n + j] = a;
            }
        }
        return new double[][] {y, mag};
    }

    static void assertClose(String what, double[][] ref, float[] y, int k) {
        double tol = 1e-5 * Math.sqrt(Math.max(1, k));
        for (int i = 0; i < ref[0].length; i++) {
            double err = Math.abs(y[i] - ref[0][i]);
            if (!(err <= tol * ref[1][i] + 1e-30)) {
                throw new AssertionError(what + ": element " + i + " is " + y[i] + ", expected " + ref[0][i] + " (err " + err + ", bound " + tol * ref[1][i] + ")");
            }
        }
    }

    private static void check(Kernels kern, Parallel par, int m, int n, int k, boolean withBias, boolean gelu, long seed) {
        Random r = new Random(seed);
        float[] x = rand(r, m * k), w = rand(r, n * k), bias = withBias ? rand(r, n) : null;
        int nr = kern.panelWidth();
        float[] packed = PanelLayout.pack(w, n, k, nr);
        float[] y = new float[m * n + 3];
        Arrays.fill(y, Float.NaN);
        kern.gemm(par, x, m, k, packed, nr, n, bias, y, gelu);
        String what = kern.name() + " m=" + m + " n=" + n + " k=" + k + " bias=" + withBias + " gelu=" + gelu + " threads=" + par.threads();
        assertClose(what, reference(x, m, w, n, k, bias, gelu), y, k);
        for (int i = m * n; i < y.length; i++) assertTrue(Float.isNaN(y[i]), what + ": wrote past y[m, n]");
        // The scalar reference on the same packed weights agrees too.
        if (kern != KernelProvider.scalar()) {
            float[] ys = new float[m * n];
            KernelProvider.scalar().gemm(par, x, m, k, packed, nr, n, bias, ys, gelu);
            assertClose(what + " vs scalar", reference(x, m, w, n, k, bias, gelu), ys, k);
        }
    }

    static Kernels vector() {
        Kernels v = KernelProvider.vector();
        assertNotNull(v, "the Vector API kernels should load under surefire (--add-modules jdk.incubator.vector)");
        return v;
    }

    @Test
    void providerPicksVectorUnderTests() {
        assertEquals(vector(), KernelProvider.get(), "lacuna.scalar is not set, so the Vector API kernels should be in use");
        assertTrue(vector().name().startsWith("vector-"));
    }

    @Test
    void vectorMatchesReferenceOnOddShapes() {
        int nr = vector().panelWidth();
        int l = nr / 4;
        int[] ms = {1, 2, 3, 5, 6, 7, 11, 13, 17};
        int[] ns = {1, l - 1, l, l + 1, nr - 1, nr, nr + 1, 2 * nr + 3, 200};
        int[] ks = {1, 2, 15, 16, 17, 63, 129};
        long seed = 1;
        for (int m : ms) {
            for (int n : ns) {
                for (int k : ks) {
                    check(vector(), p1, m, n, k, (seed & 1) == 0, false, seed++);
                }
            }
        }
    }

    @Test
    void vectorMatchesReferenceOnModelShapes() {
        long seed = 100;
        for (int[] s : new int[][] {{16, 384, 384}, {37, 1536, 384}, {45, 384, 1536}, {300, 384, 384}, {333, 256, 700}}) {
            check(vector(), p2, s[0], s[1], s[2], true, false, seed++);
            check(vector(), p1, s[0], s[1], s[2], false, false, seed++);
        }
    }

    /** Repacking in place (training loops) gives the same layout as a fresh pack, padding included, for any team. */
    @Test
    void repackInPlaceMatchesFreshPack() {
        Random r = new Random(9);
        int nr = vector().panelWidth();
        for (int[] s : new int[][] {{6144, 384}, {nr * 3 + 5, 17}, {1, 3}}) {
            float[] w = new float[s[0] * s[1]];
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            PackedMatrix packed = Gemm.pack(w, s[0], s[1]);
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            for (Parallel par : new Parallel[] {p1, p3}) {
                Gemm.repack(par, w, packed);
                assertArrayEquals(Gemm.pack(w, s[0], s[1]).data, packed.data, s[0] + "x" + s[1] + " threads " + par.threads());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Gemm.repack(p1, new float[5], Gemm.pack(new float[6], 2, 3)));
    }

    /** Packing Aᵀ from A gives the layout of packing the transpose, padding included, for any team; reused storage too. */
    @Test
    void packTransposedMatchesPackOfTheTranspose() {
        Random r = new Random(10);
        int nr = KernelProvider.get().panelWidth();
        PackedMatrix reuse = null;
        for (int[] s : new int[][] {{976, 384}, {17, nr * 3 + 5}, {1, 3}, {5, 1}}) {
            int rows = s[0], cols = s[1];
            float[] a = rand(r, rows * cols), at = new float[rows * cols];
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) at[j * rows + i] = a[i * cols + j];
            float[] expected = Gemm.pack(at, cols, rows).data;
            for (Parallel par : new Parallel[] {p1, p3}) {
                PackedMatrix got = Gemm.packTransposed(par, a, rows, cols, reuse);
                assertEquals(cols, got.rows());
                assertEquals(rows, got.cols());
                assertArrayEquals(expected, Arrays.copyOf(got.data, expected.length), rows + "x" + cols + " threads " + par.threads());
                reuse = got;
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Gemm.packTransposed(p1, new float[5], 2, 3, null));
    }

    @Test
    void kZeroGivesBias() {
        float[] bias = {1, 2, 3};
        for (Kernels kern : new Kernels[] {vector(), KernelProvider.scalar()}) {
            float[] y = new float[6];
            kern.gemm(p1, new float[0], 2, 0, PanelLayout.pack(new float[0], 3, 0, kern.panelWidth()), kern.panelWidth(), 3, bias, y, false);
            assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, y);
        }
    }

    @Test
    void geluEpilogue() {
        long seed = 7;
        for (int[] s : new int[][] {{1, 1, 1}, {7, 100, 33}, {16, 1536, 384}, {13, 65, 200}}) {
            check(vector(), p2, s[0], s[1], s[2], true, true, seed++);
            check(vector(), p1, s[0], s[1], s[2], false, true, seed++);
            check(KernelProvider.scalar(), p1, s[0], s[1], s[2], true, true, seed++);
        }
    }

    @Test
    void scalarMatchesReference() {
        long seed = 50;
        for (int[] s : new int[][] {{1, 1, 1}, {3, 70, 5}, {17, 130, 64}, {40, 64, 384}}) {
            check(KernelProvider.scalar(), p1, s[0], s[1], s[2], true, false, seed++);
            check(KernelProvider.scalar(), p3, s[0], s[1], s[2], false, false, seed++);
        }
    }

    /** Bitwise identical results for 1, 2 and 3 threads (each element computed whole by one thread). */
    @Test
    void threadCountDoesNotChangeBits() {
        long seed = 200;
        for (int[] s : new int[][] {{1, 384, 384}, {10, 384, 384}, {37, 200, 129}, {640, 1536, 384}, {701, 384, 1536}, {97, 1000, 77}}) {
            for (boolean gelu : new boolean[] {false, true}) {
                Random r = new Random(seed++);
                int m = s[0], n = s[1], k = s[2];
                float[] x = rand(r, m * k), w = rand(r, n * k), bias = rand(r, n);
                PackedMatrix pw = Gemm.pack(w, n, k);
                float[] y1 = new float[m * n], y2 = new float[m * n], y3 = new float[m * n];
                Gemm.matmul(p1, x, m, pw, bias, y1, gelu ? Epilogue.GELU : Epilogue.NONE);
                Gemm.matmul(p2, x, m, pw, bias, y2, gelu ? Epilogue.GELU : Epilogue.NONE);
                Gemm.matmul(p3, x, m, pw, bias, y3, gelu ? Epilogue.GELU : Epilogue.NONE);
                assertArrayEquals(y1, y2, "2 threads differ from 1 for " + Arrays.toString(s));
                assertArrayEquals(y1, y3, "3 threads differ from 1 for " + Arrays.toString(s));
                for (Kernels kern : new Kernels[] {KernelProvider.scalar()}) {
                    float[] pk = PanelLayout.pack(w, n, k, kern.panelWidth());
                    float[] z1 = new float[m * n], z3 = new float[m * n];
                    kern.gemm(p1, x, m, k, pk, kern.panelWidth(), n, bias, z1, gelu);
                    kern.gemm(p3, x, m, k, pk, kern.panelWidth(), n, bias, z3, gelu);
                    assertArrayEquals(z1, z3, "scalar: 3 threads differ from 1 for " + Arrays.toString(s));
                }
            }
        }
    }

    @Test
    void facadeMatmulAndGelu() {
        Random r = new Random(3);
        int m = 9, n = 130, k = 50;
        float[] x = rand(r, m * k), w = rand(r, n * k), bias = rand(r, n);
        PackedMatrix pw = Gemm.pack(w, n, k);
        assertEquals(n, pw.rows());
        assertEquals(k, pw.cols());
        assertArrayEquals(w, Gemm.unpack(pw));
        float[] y = new float[m * n];
        Gemm.matmul(p2, x, m, pw, bias, y);
        assertClose("matmul", reference(x, m, w, n, k, bias, false), y, k);
        Gemm.matmul(p2, x, m, pw, null, y);
        assertClose("matmul no bias", reference(x, m, w, n, k, null, false), y, k);
        Gemm.matmulGelu(p2, x, m, pw, bias, y);
        assertClose("matmulGelu", reference(x, m, w, n, k, bias, true), y, k);
        // Gelu epilogue equals matmul then Ops.gelu exactly (same vector GELU on the same values).
        float[] y2 = new float[m * n];
        Gemm.matmul(p1, x, m, pw, bias, y2);
        Ops.gelu(p1, y2, m * n);
        assertArrayEquals(y2, y);
    }

    @Test
    void mZeroIsNoOp() {
        PackedMatrix pw = Gemm.pack(new float[12], 3, 4);
        float[] y = {5, 6, 7};
        Gemm.matmul(p2, new float[0], 0, pw, null, y);
        Gemm.matmulGelu(p2, new float[0], 0, pw, new float[3], y);
        assertArrayEquals(new float[] {5, 6, 7}, y);
    }

    @Test
    void facadeChecksShapes() {
        PackedMatrix pw = Gemm.pack(new float[12], 3, 4);
        assertThrows(IllegalArgumentException.class, () -> Gemm.pack(new float[11], 3, 4));
        assertThrows(IllegalArgumentException.class, () -> Gemm.matmul(p1, new float[7], 2, pw, null, new float[6]));
        assertThrows(IllegalArgumentException.class, () -> Gemm.matmul(p1, new float[8], 2, pw, null, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> Gemm.matmul(p1, new float[8], 2, pw, new float[4], new float[6]));
        assertThrows(IllegalArgumentException.class, () -> Gemm.matmul(p1, new float[8], -1, pw, null, new float[6]));
        assertThrows(NullPointerException.class, () -> Gemm.matmul(p1, new float[8], 2, pw, null, new float[6], null));
    }

    @Test
    void packRoundTrips() {
        Random r = new Random(9);
        for (int nr : new int[] {1, 16, 64, ScalarKernels.INSTANCE.panelWidth()}) {
            for (int[] s : new int[][] {{1, 1}, {5, 7}, {65, 3}, {130, 17}}) {
                float[] w = rand(r, s[0] * s[1]);
                float[] p = PanelLayout.pack(w, s[0], s[1], nr);
                assertEquals(PanelLayout.packedLength(s[0], s[1], nr), p.length);
                assertArrayEquals(w, PanelLayout.unpack(p, s[0], s[1], nr));
            }
        }
    }
}
