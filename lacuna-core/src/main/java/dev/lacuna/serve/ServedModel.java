// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.retrieval.ContextualTermWeights;
import dev.lacuna.retrieval.SparseFeatureEncoder;
import dev.lacuna.tokenizer.WordPieceTokenizer;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The model behind the routes: its name and limits, the input tokenizer, the batcher that runs it and,
 * when given, the SAE whose latents {@code /embed_sparse} can return.
 */
final class ServedModel {
    final String name;
    final String source;
    final SentenceEncoder encoder;
    final InputTokenizer inputs;
    final EmbeddingBatcher batcher;
    final SparseFeatureEncoder sae;
    final int dim;
    /** Token text by id, or null when the tokenizer is not WordPiece. */
    final String[] vocabulary;
    final WordPieceTokenizer wordPiece;
    final long created = System.currentTimeMillis() / 1000;

    ServedModel(String name, String source, SentenceEncoder encoder, ServerOptions opt, SparseFeatureEncoder sae, ServerMetrics metrics) {
        this.name = name;
        this.source = source;
        this.encoder = encoder;
        this.sae = sae;
        this.dim = encoder.model().config().hiddenSize();
        this.wordPiece = encoder.tokenizer() instanceof WordPieceTokenizer w ? w : null;
        this.vocabulary = wordPiece == null ? null : wordPiece.vocabulary();
        this.inputs = new InputTokenizer(encoder.tokenizer(), opt.maxInputTokens(), encoder.model().config().vocabSize());
        this.batcher = new EmbeddingBatcher(encoder, opt.threads(), opt.maxBatchTokens(), opt.maxBatchWaitMillis(), termWeigher(), metrics == null ? null : metrics::onPass);
    }

    /**
     * Document term weights over WordPiece ids, as {@code lacuna index --sparse-analysis none} computes them ({@link ContextualTermWeights}), with the
     * corpus statistics a server does not have set neutral: every IDF 1 and each document its own
     * average length (so BM25's length normalisation is 1).
     */
    private EmbeddingBatcher.TermWeigher termWeigher() {
        if (wordPiece == null) return null;
        float[] idf = new float[encoder.model().config().vocabSize()];
        Arrays.fill(idf, 1f);
        WordPieceTokenizer wp = wordPiece;
        return (ids, hidden, start, len, pooled) -> ContextualTermWeights.weigh(ids, hidden, start, len, dim, pooled,
                wp::isSpecial, idf, len, ContextualTermWeights.Settings.DEFAULT);
    }

    /** Runs {@code seqs} through the batcher and waits for their results. */
    EmbeddingBatcher.Result run(int[][] seqs, boolean terms) {
        CompletableFuture<EmbeddingBatcher.Result> f = batcher.submit(seqs, terms);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(ApiError.Kind.SHUTTING_DOWN, "interrupted while waiting for the forward pass");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiError a) throw a;
            throw new IllegalStateException("forward pass failed: " + e.getCause(), e.getCause());
        }
    }
}
