// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

/** What {@link Gemm#matmul(Parallel, float[], int, PackedMatrix, float[], float[], Epilogue)} applies to each output after the bias. */
public enum Epilogue {
    /** y = x · Wᵀ + b. */
    NONE,
    /** y = gelu(x · Wᵀ + b), exact (erf) GELU as in {@link Ops#gelu}: the BERT FFN intermediate. */
    GELU
}
