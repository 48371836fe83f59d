// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * The public facade of numeric kernels ({@link dev.lacuna.kernel.Gemm}, {@link dev.lacuna.kernel.Ops})
 * and the weight seam {@link dev.lacuna.kernel.Linear} with its dense implementation.
 * Uses {@code kernel.internal}, {@code concurrent}, {@code tensor}.
 */
package dev.lacuna.kernel;
