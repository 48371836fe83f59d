// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * File formats, parsing and writing only: protobuf / ONNX graphs and the BERT ONNX importer, safetensors,
 * Hugging Face BERT directories.
 * Uses {@code model.bert} (its config), {@code tensor}.
 */
package dev.lacuna.format;
