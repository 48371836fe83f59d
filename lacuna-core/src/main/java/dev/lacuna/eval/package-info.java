// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Quality metrics and readers: STS-B, Spearman and Pearson, embedding fidelity, CSV.
 * Uses only {@code io} and the root package.
 */
package dev.lacuna.eval;
