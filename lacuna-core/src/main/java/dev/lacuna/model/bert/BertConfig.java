// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.model.bert;

import dev.lacuna.LacunaException;

/**
 * Hyper-parameters of a BERT-family encoder, named as in Hugging Face's {@code config.json}.
 *
 * @param vocabSize             rows of the word embedding table
 * @param hiddenSize            C, the residual width
 * @param numHiddenLayers       number of encoder layers
 * @param numAttentionHeads     H; head dimension is C / H
 * @param intermediateSize      width of the feed-forward block
 * @param maxPositionEmbeddings rows of the position table
 * @param typeVocabSize         rows of the token-type table
 * @param layerNormEps          epsilon of every LayerNorm
 * @param hiddenAct             activation of the feed-forward block ({@code gelu} = exact erf GELU)
 */
public record BertConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
                         int intermediateSize, int maxPositionEmbeddings, int typeVocabSize,
                         double layerNormEps, String hiddenAct) {
    public BertConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (typeVocabSize < 0) throw new LacunaException("config: type_vocab_size must be >= 0, got " + typeVocabSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new LacunaException("config: hidden_size " + hiddenSize + " is not divisible by num_attention_heads "
                    + numAttentionHeads);
        }
        if (!(layerNormEps > 0 && layerNormEps < 1)) throw new LacunaException("config: layer_norm_eps must be in (0,1), got " + layerNormEps);
        if (!hiddenAct.equals("gelu") && !hiddenAct.equals("gelu_new") && !hiddenAct.equals("relu")) {
            throw new LacunaException("config: unsupported hidden_act '" + hiddenAct + "' (gelu, gelu_new, relu)");
        }
    }

    private static void positive(String field, int v) {
        if (v <= 0) throw new LacunaException("config: " + field + " must be positive, got " + v);
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }
}
