// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Pure-Java WordPiece from {@code tokenizer.json}: normalisation, pre-tokenisation, added tokens,
 * special-token templates, truncation.
 * Uses only the root package.
 */
package dev.lacuna.tokenizer;
