// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.ChildJvm;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.model.bert.BertModel;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A training step's gradients do not depend on how warm the JIT is: a JVM that only interprets (the
 * Vector API's Java fallbacks) and one whose kernels C2 has compiled give the same gradients, bit for
 * bit, serially and on a team of two. Bit-exact {@code --resume} rests on this: the resumed run's
 * first steps run cold while the uninterrupted run's are warm. (LayerNorm's lane sums by
 * {@code reduceLanes(ADD)}, tree order in C2 and lane order interpreted, broke it.)
 */
class TrainingJitWarmthTest {
    static final BertConfig CONFIG = new BertConfig(40, 24, 2, 2, 48, 32, 2, 1e-12, "gelu");
    static final int[][] BATCHES = {{9, 1, 6}, {17}};

    /** Prints a hash of the gradient bits of every batch, after {@code args[0]} warm-up rounds. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(hash(Integer.parseInt(args[0])));
        }
    }

    static long hash(int warmRounds) {
        BertModel model = BertTrainingTest.tinyBert(CONFIG, 5);
        BertTraining training = new BertTraining(model, Map.of());
        long h = 1;
        try (Parallel team = new Parallel(2)) {
            for (int round = 0; round <= warmRounds; round++) {
                Random rnd = new Random(4);
                h = 1;
                for (Parallel par : new Parallel[] {Parallel.serial(), team}) {
                    for (int[] lengths : BATCHES) {
                        Batch batch = BertTrainingTest.batch(rnd, CONFIG.vocabSize(), lengths);
                        int c = CONFIG.hiddenSize(), layers = CONFIG.numHiddenLayers();
                        float[][] dEmb = new float[lengths.length][];
                        for (int s = 0; s < lengths.length; s++) dEmb[s] = GradientCheck.randn(rnd, c, 1);
                        float[][] dOut = new float[layers][];
                        dOut[0] = GradientCheck.randn(rnd, batch.tokens() * c, 1);
                        Tape tape = training.forward(par, batch, Pooling.MEAN);
                        Gradients grads = new Gradients(model);
                        training.backward(par, tape, dEmb, dOut, grads);
                        for (float[] g : grads.all().values()) for (float v : g) h = 31 * h + Float.floatToRawIntBits(v);
                    }
                }
            }
        }
        return h;
    }

    @Test
    void interpretedAndCompiledKernelsGiveTheSameGradients() throws Exception {
        String cold = ChildJvm.run(Probe.class, List.of("--add-modules=jdk.incubator.vector", "-Xint"), "0").out();
        long warm = hash(300);
        assertEquals(Long.parseLong(cold.strip()), warm);
    }
}
