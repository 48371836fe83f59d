// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.encoder;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.Progress;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.tokenizer.Encoding;
import dev.lacuna.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
/**
 * Text in, L2-normalised sentence vectors out: tokenizer, encoder and pooling together.
 * Texts are sorted by length and packed into batches without padding; results come back in input order.
 */
public final class SentenceEncoder {
    private final String name;
    private final Tokenizer tokenizer;
    private final BertModel model;
    private final Pooling pooling;

    public SentenceEncoder(String name, Tokenizer tokenizer, BertModel model, Pooling pooling) {
        this.name = name;
        this.tokenizer = tokenizer;
        this.model = model;
        this.pooling = pooling;
    }

    public String name() {
        return name;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public BertModel model() {
        return model;
    }

    public Pooling pooling() {
        return pooling;
    }

    /** The same tokenizer and pooling around another model (e.g. a pruned one). */
    public SentenceEncoder withModel(BertModel m) {
        return new SentenceEncoder(name, tokenizer, m, pooling);
    }

    /** Tokenizes every text; {@link Encoding#truncated()} tells which were cut. */
    public List<Encoding> tokenize(List<String> texts) {
        List<Encoding> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(tokenizer.encode(t));
        return out;
    }

    /** Embeds texts in batches of {@code batchSize}; [texts][C]. */
    public float[][] embed(Parallel par, List<String> texts, int batchSize, Progress progress) {
        return embedEncodings(par, tokenize(texts), batchSize, progress);
    }

    /** Embeds pre-tokenized texts; [encodings][C] in input order. */
    public float[][] embedEncodings(Parallel par, List<Encoding> enc, int batchSize, Progress progress) {
        return embedEncodings(par, enc, batchSize, progress, null);
    }

    /**
     * Sees each batch's token states next to its pooled embeddings (for token-level uses such as term
     * weights), so that one forward pass serves both.
     */
    public interface BatchListener {
        /**
         * @param inputs  [B] index in the input list of each sequence of the batch
         * @param batch   the packed batch
         * @param hidden  last hidden state [T, C] in the batch's packed order
         * @param pooled  [B][C] the embeddings (L2-normalised)
         */
        void onBatch(int[] inputs, Batch batch, float[] hidden, float[][] pooled);
    }

    /** {@link #embedEncodings(Parallel, List, int, Progress)}, handing every batch to {@code listener} when not null. */
    public float[][] embedEncodings(Parallel par, List<Encoding> enc, int batchSize, Progress progress, BatchListener listener) {
        Integer[] order = new Integer[enc.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> enc.get(i).length()));
        float[][] out = new float[enc.size()][];
        for (int b = 0; b < order.length; b += batchSize) {
            int e = Math.min(order.length, b + batchSize);
            int[][] seqs = new int[e - b][];
            for (int i = b; i < e; i++) seqs[i - b] = enc.get(order[i]).ids();
            Batch batch = Batch.of(seqs);
            float[] hidden = model.forward(par, batch, Hooks.NONE);
            float[][] vecs = pooling.pool(hidden, model.config().hiddenSize(), batch.seqStarts(), true);
            for (int i = b; i < e; i++) out[order[i]] = vecs[i - b];
            if (listener != null) {
                int[] inputs = new int[e - b];
                for (int i = b; i < e; i++) inputs[i - b] = order[i];
                listener.onBatch(inputs, batch, hidden, vecs);
            }
            if (progress != null) progress.advance(e - b);
        }
        return out;
    }

    /** A function embedding texts with this encoder (for evaluators). */
    public java.util.function.Function<List<String>, float[][]> embedder(Parallel par, int batchSize) {
        return texts -> {
            try (Progress p = Progress.of("embed", texts.size(), 300)) {
                return embed(par, texts, batchSize, p);
            }
        };
    }

    /** Embeds one packed batch; [B][C]. */
    public float[][] embedBatch(Parallel par, Batch batch, Hooks hooks) {
        float[] hidden = model.forward(par, batch, hooks);
        return pooling.pool(hidden, model.config().hiddenSize(), batch.seqStarts(), true);
    }
}
