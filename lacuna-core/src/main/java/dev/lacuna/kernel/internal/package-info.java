// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Scalar and Vector API kernels behind the facade (micro-kernels generated), GEMM tiling, panel
 * layout, the provider that picks one at start-up, and the vector species all vector code uses.
 * Uses only {@code concurrent}; callers go through {@code kernel}, which validates.
 */
package dev.lacuna.kernel.internal;
