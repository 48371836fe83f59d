// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * ONNX Runtime 1.28.0 as the side-by-side peer: the same texts, padded as its users feed it.
 * Uses {@code encoder}, {@code model}, {@code tokenizer}, {@code io}.
 */
package dev.lacuna.peer;
