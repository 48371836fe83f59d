// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.model.bert;

import dev.lacuna.ChildJvm;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.format.BertCheckpoint;
import dev.lacuna.format.TinyBert;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The encoder's bits do not depend on how warm the JIT is: a JVM that only interprets (the Vector
 * API's Java fallbacks) and one whose kernels C2 has compiled give the same output, bit for bit, on
 * packed batches that run on a team and serially, head dim 32. A server's first request and its
 * thousandth must agree (a lane sum in tree order in C2 and in lane order interpreted broke this).
 */
class JitWarmthTest {
    static final BertConfig CONFIG = new BertConfig(60, 64, 2, 2, 128, 64, 2, 1e-12, "gelu");
    static final int[][] BATCHES = {{1, 7, 33, 19, 3}, {40}, {5, 2, 11}};

    /** Prints a hash of the output bits of every batch, after {@code args[0]} warm-up rounds. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(hash(Integer.parseInt(args[0])));
        }
    }

    static long hash(int warmRounds) {
        BertCheckpoint ck = TinyBert.checkpoint(CONFIG, 21);
        BertModel model = BertModel.fromTensors(ck.config(), ck.tensors());
        long h = 1;
        try (Parallel team = new Parallel(2)) {
            for (int round = 0; round <= warmRounds; round++) {
                Random r = new Random(3);
                h = 1;
                for (int[] lengths : BATCHES) {
                    int[][] seqs = new int[lengths.length][];
                    for (int s = 0; s < lengths.length; s++) {
                        seqs[s] = new int[lengths[s]];
                        for (int i = 0; i < lengths[s]; i++) seqs[s][i] = r.nextInt(CONFIG.vocabSize());
                    }
                    float[] out = model.forward(team, Batch.of(seqs), Hooks.NONE);
                    for (float v : out) h = 31 * h + Float.floatToRawIntBits(v);
                }
            }
        }
        return h;
    }

    @Test
    void interpretedAndCompiledKernelsGiveTheSameBits() throws Exception {
        String cold = ChildJvm.run(Probe.class, List.of("--add-modules=jdk.incubator.vector", "-Xint"), "0").out();
        long warm = hash(400);
        assertEquals(Long.parseLong(cold.strip()), warm);
    }
}
