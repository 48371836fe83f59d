// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Sparse fine-tuning: the training loop that runs a recipe's {@code distill} step. A pruned student
 * learns from the dense teacher on unlabeled text with the engine's own forward/backward ({@code train}),
 * masks fixed, AdamW with warm-up and decay, clipping, checkpoints and a bit-exact resume.
 * Uses {@code train}, {@code prune} (masks, the recipe step), {@code model}, {@code format}
 * (checkpoints), {@code io}, {@code tokenizer}.
 */
package dev.lacuna.finetune;
