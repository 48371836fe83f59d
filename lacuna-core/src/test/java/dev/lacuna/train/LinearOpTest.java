// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.DenseLinear;
import dev.lacuna.kernel.Linear;
import dev.lacuna.sparse.BlockCsrLinear;
import dev.lacuna.sparse.CsrLinear;
import dev.lacuna.sparse.NmLinear;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static dev.lacuna.train.GradientCheck.checkAll;
import static dev.lacuna.train.GradientCheck.randn;
import static dev.lacuna.train.GradientCheck.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LinearOpTest {
    private static final int K = 13, N = 7;

    /** dx (GEMM on Wᵀ and the loop over nonzeros), dW and db against finite differences; 1 and 17 tokens. */
    @ParameterizedTest
    @ValueSource(ints = {1, 17})
    void denseBackwardMatchesFiniteDifferences(int t) {
        Random rnd = new Random(t);
        float[] x = randn(rnd, t * K, 1), w = randn(rnd, N * K, 0.5), b = randn(rnd, N, 0.5), r = randn(rnd, t * N, 1);
        Linear lin = new DenseLinear(new FloatTensor(new int[] {N, K}, w), new FloatTensor(new int[] {N}, b));
        for (boolean viaGemm : new boolean[] {true, false}) {
            float[] dx = new float[t * K], dW = new float[N * K], db = new float[N];
            new LinearOp(lin, null, viaGemm).backward(Parallel.serial(), x, r, t, dx, dW, db);
            double[] xd = toDouble(x), wd = toDouble(w), bd = toDouble(b);
            java.util.function.DoubleSupplier loss = () -> GradientCheck.dot(DoubleOps.linear(xd, t, wd, bd, N, K), r);
            checkAll("dx gemm=" + viaGemm, xd, dx, loss);
            checkAll("dW gemm=" + viaGemm, wd, dW, loss);
            checkAll("db gemm=" + viaGemm, bd, db, loss);
        }
    }

    /** Only the mask's kept entries get a gradient; dx of a CSR kernel runs the loop over its nonzeros. */
    @ParameterizedTest
    @ValueSource(ints = {1, 17})
    void maskedAndSparseBackward(int t) {
        Random rnd = new Random(100 + t);
        float[] x = randn(rnd, t * K, 1), w = randn(rnd, N * K, 0.5), b = randn(rnd, N, 0.5), r = randn(rnd, t * N, 1);
        boolean[] kept = new boolean[N * K];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = rnd.nextBoolean();
            if (!kept[i]) w[i] = 0f;
        }
        Linear csr = CsrLinear.fromDense(new FloatTensor(new int[] {N, K}, w), new FloatTensor(new int[] {N}, b));
        float[] dx = new float[t * K], dW = new float[N * K], db = new float[N];
        LinearOp op = new LinearOp(csr, kept);
        op.backward(Parallel.serial(), x, r, t, dx, dW, db);
        double[] xd = toDouble(x), wd = toDouble(w), bd = toDouble(b);
        java.util.function.DoubleSupplier loss = () -> GradientCheck.dot(DoubleOps.linear(xd, t, wd, bd, N, K), r);
        checkAll("dx csr", xd, dx, loss);
        checkAll("db", bd, db, loss);
        int[] keptIdx = java.util.stream.IntStream.range(0, kept.length).filter(i -> kept[i]).toArray();
        GradientCheck.check("dW kept", wd, dW, keptIdx, loss);
        for (int i = 0; i < kept.length; i++) if (!kept[i]) assertEquals(0f, dW[i], "pruned entry " + i + " got a gradient");
        // The same mask on the dense GEMM path gives the same gradients.
        float[] dx2 = new float[t * K], dW2 = new float[N * K];
        Linear dense = new DenseLinear(new FloatTensor(new int[] {N, K}, w), new FloatTensor(new int[] {N}, b));
        new LinearOp(dense, kept).backward(Parallel.serial(), x, r, t, dx2, dW2, null);
        for (int i = 0; i < dx.length; i++) assertEquals(dx[i], dx2[i], 1e-5f, "dx " + i);
        for (int i = 0; i < dW.length; i++) assertEquals(dW[i], dW2[i], 0f, "dW " + i);
    }

    /** dx through every sparse kernel (2:4, 2x2 blocks, CSR) runs the loop over W's nonzeros and matches finite differences. */
    @ParameterizedTest
    @CsvSource({"nm, 1", "nm, 17", "block, 17", "csr, 17"})
    void inputGradientThroughEverySparseKernel(String format, int t) {
        Random rnd = new Random(format.hashCode() + t);
        float[] x = randn(rnd, t * K, 1), w = randn(rnd, N * K, 0.5), b = randn(rnd, N, 0.5), r = randn(rnd, t * N, 1);
        for (int row = 0; row < N; row++) {
            for (int c = 0; c < K; c++) {
                boolean drop = switch (format) {
                    case "nm" -> c % 4 >= 2;                          // 2 of every 4
                    case "block" -> ((row / 2) + (c / 2)) % 2 == 1;    // a checkerboard of 2x2 blocks
                    default -> rnd.nextInt(3) == 0;
                };
                if (drop) w[row * K + c] = 0f;
            }
        }
        FloatTensor wt = new FloatTensor(new int[] {N, K}, w), bt = new FloatTensor(new int[] {N}, b);
        Linear lin = switch (format) {
            case "nm" -> NmLinear.fromDense(wt, bt, 2, 4);
            case "block" -> BlockCsrLinear.fromDense(wt, bt, 2, 2);
            default -> CsrLinear.fromDense(wt, bt);
        };
        float[] dx = new float[t * K];
        new LinearOp(lin, null).backward(Parallel.serial(), x, r, t, dx, null, null);
        double[] xd = toDouble(x), wd = toDouble(w), bd = toDouble(b);
        checkAll("dx " + lin.kernel(), xd, dx, () -> GradientCheck.dot(DoubleOps.linear(xd, t, wd, bd, N, K), r));
    }

    /** The tiled transpose (with tails) gives the reference's values and, fused, the column sums' bits; on any team. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void tiledTransposeAndColumnSums(int threads) {
        Random rnd = new Random(threads);
        int rows = 97, cols = 71;
        float[] a = randn(rnd, rows * cols, 1), out = new float[rows * cols];
        float[] fused = randn(rnd, cols, 1), alone = fused.clone();
        try (Parallel par = new Parallel(threads)) {
            LinearOp.transpose(par, a, rows, cols, out, fused);
            LinearOp.columnSums(par, a, rows, cols, alone);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(LinearOp.transpose(a, rows, cols), out, 0f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(alone, fused, 0f);
    }
}
