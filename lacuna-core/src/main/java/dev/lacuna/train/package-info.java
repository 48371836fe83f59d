// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Training in the llm.c manner: each encoder op's forward and backward side by side (one op per file),
 * the activations a backward needs saved in one {@link dev.lacuna.train.Tape}, the whole-model pass
 * {@link dev.lacuna.train.BertTraining}, and the optimiser {@link dev.lacuna.train.AdamW} (shared with SAE training).
 * Uses {@code model}, {@code model.bert}, {@code kernel}, {@code kernel.internal} (erf, vector species),
 * {@code tensor}, {@code concurrent}.
 */
package dev.lacuna.train;
