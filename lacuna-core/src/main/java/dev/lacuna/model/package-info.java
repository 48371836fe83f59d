// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * The model-level seams every architecture shares: packed {@link dev.lacuna.model.Batch}es, activation
 * {@link dev.lacuna.model.Hooks}, {@link dev.lacuna.model.Pooling}, {@link dev.lacuna.model.Profile}.
 * Uses only the root package.
 */
package dev.lacuna.model;
