// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Side-by-side throughput benchmarks (Lacuna vs ONNX Runtime in one process, balanced engine orders).
 * Uses {@code encoder}, {@code peer}, {@code model}, {@code tokenizer}, {@code concurrent}.
 */
package dev.lacuna.bench;
