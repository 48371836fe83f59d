// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.io.EmbeddedText;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.model.Batch;
import dev.lacuna.tokenizer.Encoding;

import java.util.List;
import java.util.Map;

/**
 * Lab: time of one training forward + backward of the default model on a batch of Europarl sentences.
 * Args: batch threads reps [fresh]; each forward records into the previous step's tape (as a training
 * loop does) unless {@code fresh} is given.
 */
public final class TrainStepLab {
    public static void main(String[] args) {
        int b = Integer.parseInt(args[0]), threads = Integer.parseInt(args[1]), reps = Integer.parseInt(args[2]);
        boolean fresh = args.length > 3 && args[3].equals("fresh");
        SentenceEncoder enc = ModelLoader.load("default").encoder();
        List<Encoding> e = enc.tokenize(EmbeddedText.englishSentences(0, b));
        int[][] ids = new int[b][];
        for (int i = 0; i < b; i++) ids[i] = e.get(i).ids();
        Batch batch = Batch.of(ids);
        BertTraining tr = new BertTraining(enc.model(), Map.of());
        Gradients g = new Gradients(enc.model());
        Tape tape = null;
        try (Parallel par = new Parallel(threads)) {
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                tape = tr.forward(par, batch, enc.pooling(), fresh ? null : tape);
                long t1 = System.nanoTime();
                float[][] de = new float[b][384];
                for (float[] d : de) d[0] = 1;
                tr.backward(par, tape, de, g);
                long t2 = System.nanoTime();
                System.out.printf("tokens %d fwd %.1f ms bwd %.1f ms -> %.0f tokens/s%n", batch.tokens(), (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                        batch.tokens() / ((t2 - t0) / 1e9));
            }
        }
    }
}
