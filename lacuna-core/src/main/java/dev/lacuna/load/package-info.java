// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Resolving a {@code --model} to a runnable {@link dev.lacuna.load.LoadedModel}: embedded models, ONNX
 * files, Hugging Face and Lacuna model directories (read and write).
 * Uses {@code format}, {@code peer}, {@code encoder}, {@code model.bert}, {@code sparse}, {@code kernel},
 * {@code tokenizer}, {@code io}, {@code attention} (the model identity record plans carry).
 */
package dev.lacuna.load;
