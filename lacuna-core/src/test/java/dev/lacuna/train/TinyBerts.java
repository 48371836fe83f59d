// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.model.bert.BertModel;

/** Tiny random BERTs for tests outside this package (the builder is {@link BertTrainingTest#tinyBert}). */
public final class TinyBerts {
    private TinyBerts() {}

    /** Vocabulary 30, 2 layers, 24 positions, gelu. */
    public static BertConfig config(int hidden, int heads, int intermediate) {
        return BertTrainingTest.config(hidden, heads, intermediate);
    }

    public static BertModel random(BertConfig cfg, long seed) {
        return BertTrainingTest.tinyBert(cfg, seed);
    }
}
