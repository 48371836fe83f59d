// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Tensors as shape + row-major {@code float[]} ({@link dev.lacuna.tensor.FloatTensor}); no math.
 * Uses only the root package.
 */
package dev.lacuna.tensor;
