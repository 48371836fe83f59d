// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.eval;

/** One STS Benchmark pair with its gold similarity (0-5). */
public record StsbPair(String sentence1, String sentence2, double score) {}
