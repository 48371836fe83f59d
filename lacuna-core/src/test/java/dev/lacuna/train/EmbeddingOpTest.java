// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.model.Batch;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.lacuna.train.GradientCheck.checkAll;
import static dev.lacuna.train.GradientCheck.randn;
import static dev.lacuna.train.GradientCheck.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class EmbeddingOpTest {
    /** Sequences of 1, 17 and 5 tokens with repeated ids: rows used twice get both gradients. */
    @Test
    void backwardMatchesFiniteDifferences() {
        int c = 5, vocab = 11, positions = 20;
        Random rnd = new Random(9);
        int[][] seqs = new int[3][];
        int[] lens = {1, 17, 5};
        for (int s = 0; s < 3; s++) {
            seqs[s] = new int[lens[s]];
            for (int i = 0; i < lens[s]; i++) seqs[s][i] = rnd.nextInt(vocab);
        }
        Batch batch = Batch.of(seqs);
        int t = batch.tokens();
        float[] word = randn(rnd, vocab * c, 1), pos = randn(rnd, positions * c, 1), type = randn(rnd, 2 * c, 1);
        float[] r = randn(rnd, t * c, 1), x = new float[t * c];
        EmbeddingOp.forward(batch, word, pos, type, c, x);
        double[] wd = toDouble(word), pd = toDouble(pos), td = toDouble(type);
        assertArrayEquals(toFloat(DoubleOps.embed(batch, wd, pd, td, c)), x, 1e-6f);
        float[] dw = new float[word.length], dp = new float[pos.length], dt = new float[type.length];
        EmbeddingOp.backward(batch, r, c, dw, dp, dt);
        java.util.function.DoubleSupplier loss = () -> GradientCheck.dot(DoubleOps.embed(batch, wd, pd, td, c), r);
        checkAll("dWord", wd, dw, loss);
        checkAll("dPos", pd, dp, loss);
        checkAll("dType", td, dt, loss);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
