// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.model.bert;

import dev.lacuna.kernel.Linear;

/**
 * Weights of one encoder layer (post-LayerNorm BERT block). C = hidden, I = intermediate.
 *
 * @param query     C → C
 * @param key       C → C
 * @param value     C → C
 * @param attnOut   C → C, the attention output projection
 * @param attnLnW   [C] LayerNorm after attention + residual
 * @param attnLnB   [C]
 * @param ffnIn     C → I
 * @param ffnOut    I → C
 * @param ffnLnW    [C] LayerNorm after the feed-forward block + residual
 * @param ffnLnB    [C]
 */
public record BertLayer(Linear query, Linear key, Linear value, Linear attnOut, float[] attnLnW, float[] attnLnB,
                        Linear ffnIn, Linear ffnOut, float[] ffnLnW, float[] ffnLnB) {

    /** Names of this layer's projections, in Hugging Face's naming, for layer {@code i}. */
    public static String[] linearNames(int i) {
        String p = "encoder.layer." + i + ".";
        return new String[] {p + "attention.self.query", p + "attention.self.key", p + "attention.self.value",
                p + "attention.output.dense", p + "intermediate.dense", p + "output.dense"};
    }

    public Linear[] linears() {
        return new Linear[] {query, key, value, attnOut, ffnIn, ffnOut};
    }

    /** The same layer with its projections replaced, in {@link #linearNames} order. */
    public BertLayer withLinears(Linear[] l) {
        return new BertLayer(l[0], l[1], l[2], l[3], attnLnW, attnLnB, l[4], l[5], ffnLnW, ffnLnB);
    }
}
