// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.peer;

import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.io.Progress;
import dev.lacuna.model.Batch;
import dev.lacuna.tokenizer.Encoding;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** ONNX Runtime fed by Lacuna's tokenizer, batched like Lacuna (sorted by length), for quality comparisons. */
public final class OrtPeer implements AutoCloseable {
    private final String name;
    private final OrtEncoder ort;

    public OrtPeer(String name, OrtEncoder ort) {
        this.name = name;
        this.ort = ort;
    }

    public String name() {
        return name;
    }

    public OrtEncoder engine() {
        return ort;
    }

    /** Embeds texts, tokenized by {@code enc}'s tokenizer and pooled by its pooling. */
    public Function<List<String>, float[][]> embedder(SentenceEncoder enc, int batchSize) {
        return texts -> {
            List<Encoding> e = enc.tokenize(texts);
            Integer[] order = new Integer[e.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Arrays.sort(order, Comparator.comparingInt(i -> e.get(i).length()));
            float[][] out = new float[e.size()][];
            try (Progress p = Progress.of(name, texts.size(), 300)) {
                for (int b = 0; b < order.length; b += batchSize) {
                    int end = Math.min(order.length, b + batchSize);
                    int[][] seqs = new int[end - b][];
                    for (int i = b; i < end; i++) seqs[i - b] = e.get(order[i]).ids();
                    float[][] v = ort.embed(Batch.of(seqs), enc.pooling());
                    for (int i = b; i < end; i++) out[order[i]] = v[i - b];
                    p.advance(end - b);
                }
            }
            return out;
        };
    }

    @Override
    public void close() {
        ort.close();
    }
}
