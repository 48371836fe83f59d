// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Sparse weight formats (CSR, N:M, blocked CSR) as {@link dev.lacuna.kernel.Linear}s, their products,
 * sparsity patterns and the mask selection pruners share, kernel choice and the kernel benchmark.
 * Uses {@code kernel}, {@code kernel.internal} (provider, vector species), {@code concurrent}, {@code tensor}.
 */
package dev.lacuna.sparse;
