// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.DenseLinear;
import dev.lacuna.tensor.FloatTensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared checks for the sparse formats: every implementation against a double-precision product. */
final class SparseTesting {
    private SparseTesting() {}

    /**
     * Token counts around the vector length L (16 with AVX-512) and the 4·L-token tile, both for
     * AVX-512 and for the width this run uses (-Dlacuna.vectorsize narrows it), and around CSR's
     * 8·L-token tile with 8 lanes.
     */
    static final int[] TOKENS = java.util.stream.IntStream.concat(
                    java.util.stream.IntStream.of(1, 3, 15, 16, 17, 33, 100, 130),
                    java.util.stream.IntStream.of(VectorWidth.L - 1, VectorWidth.L + 1, VectorWidth.TILE - 1, VectorWidth.TILE + 1,
                            8 * VectorWidth.L - 1, 8 * VectorWidth.L + 1))
            .distinct().sorted().toArray();

    static final Parallel ONE = Parallel.serial();
    static final Parallel TWO = new Parallel(2);

    static FloatTensor randomWeight(int n, int k, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        return new FloatTensor(new int[] {n, k}, w);
    }

    static FloatTensor randomBias(int n, long seed) {
        Random rnd = new Random(seed);
        float[] b = new float[n];
        for (int i = 0; i < n; i++) b[i] = (float) rnd.nextGaussian();
        return new FloatTensor(new int[] {n}, b);
    }

    static float[] randomX(int tokens, int k, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[tokens * k];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }

    /** W with every entry of rows in {@code rows} set to zero. */
    static FloatTensor zeroRows(FloatTensor w, int... rows) {
        float[] d = w.data().clone();
        int k = w.dim(1);
        for (int r : rows) java.util.Arrays.fill(d, r * k, (r + 1) * k, 0f);
        return new FloatTensor(w.shape().clone(), d);
    }

    /**
     * Checks {@code lin} against the masked weight: weight() exact; for every token count, the
     * vector and scalar kernels, 1 and 2 threads, and apply() agree bit for bit, and match the
     * double-precision product x·Wᵀ + b and the dense Linear within 1e-5 of Σ|x·w| + |b|.
     */
    static void check(SparseLinear lin, FloatTensor masked, FloatTensor bias) {
        assertEquals(masked, lin.weight(), "weight() must rebuild the masked weight exactly");
        int n = masked.dim(0), k = masked.dim(1);
        assertEquals(n, lin.outFeatures());
        assertEquals(k, lin.inFeatures());
        long nz = 0;
        for (float v : masked.data()) if (v != 0f) nz++;
        assertEquals(nz, lin.nonZeros());
        // Where the Vector API is missing or too narrow, the scalar reference stands in for it.
        SparseProducts vector = SparseProducts.vector() != null ? SparseProducts.vector() : SparseProducts.scalar();
        DenseLinear dense = new DenseLinear(masked, bias);
        for (int tokens : TOKENS) {
            float[] x = randomX(tokens, k, 1000 + tokens);
            double[] ref = new double[tokens * n];
            double[] scale = new double[tokens * n];
            float[] w = masked.data();
            for (int t = 0; t < tokens; t++) {
                for (int r = 0; r < n; r++) {
                    double s = 0, a = 0;
                    for (int c = 0; c < k; c++) {
                        s += (double) x[t * k + c] * w[r * k + c];
                        a += Math.abs((double) x[t * k + c] * w[r * k + c]);
                    }
                    double b = bias == null ? 0 : bias.data()[r];
                    ref[t * n + r] = s + b;
                    scale[t * n + r] = a + Math.abs(b) + 1e-30;
                }
            }
            float[] scalar1 = run(lin, ScalarSparseProducts.INSTANCE, ONE, x, tokens);
            float[] scalar2 = run(lin, ScalarSparseProducts.INSTANCE, TWO, x, tokens);
            float[] vector1 = run(lin, vector, ONE, x, tokens);
            float[] vector2 = run(lin, vector, TWO, x, tokens);
            float[] applied = new float[tokens * n];
            java.util.Arrays.fill(applied, Float.NaN);
            lin.apply(TWO, x, tokens, applied);
            float[] denseY = new float[tokens * n];
            dense.apply(ONE, x, tokens, denseY);
            String at = lin.kernel() + " [" + n + ", " + k + "] T=" + tokens;
            assertArrayEquals(scalar1, scalar2, at + ": scalar, 1 vs 2 threads");
            assertArrayEquals(vector1, vector2, at + ": vector, 1 vs 2 threads");
            assertArrayEquals(scalar1, vector1, at + ": vector vs scalar reference");
            assertArrayEquals(vector2, applied, at + ": apply()");
            for (int i = 0; i < ref.length; i++) {
                double err = Math.abs(vector1[i] - ref[i]) / scale[i];
                if (!(err <= 1e-5)) fail(at + ": y[" + i / n + ", " + i % n + "] = " + vector1[i] + ", expected " + ref[i] + " (relative error " + err + ")");
                double errDense = Math.abs(vector1[i] - denseY[i]) / scale[i];
                if (!(errDense <= 1e-5)) fail(at + ": y[" + i / n + ", " + i % n + "] = " + vector1[i] + ", dense gives " + denseY[i]);
            }
        }
    }

    /** Runs one implementation into a NaN-filled y, so that an unwritten output fails. */
    static float[] run(SparseLinear lin, SparseProducts impl, Parallel par, float[] x, int tokens) {
        float[] y = new float[tokens * lin.outFeatures()];
        java.util.Arrays.fill(y, Float.NaN);
        switch (lin) {
            case CsrLinear c -> c.applyWith(impl, par, x, tokens, y);
            case CsrInt8Linear c -> c.applyWith(impl, par, x, tokens, y);
            case NmLinear m -> m.applyWith(impl, par, x, tokens, y);
            case BlockCsrLinear b -> b.applyWith(impl, par, x, tokens, y);
        }
        for (float v : y) assertTrue(!Float.isNaN(v), lin.kernel() + ": an output was not written");
        return y;
    }
}
