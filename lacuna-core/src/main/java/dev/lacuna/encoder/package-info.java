// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * {@link dev.lacuna.encoder.SentenceEncoder}: texts to embeddings (tokenise, sort by length, pack,
 * forward, pool, restore order).
 * Uses {@code model}, {@code model.bert}, {@code tokenizer}, {@code concurrent}, {@code io}.
 */
package dev.lacuna.encoder;
