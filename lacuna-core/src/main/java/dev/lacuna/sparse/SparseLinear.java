// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.kernel.Linear;

/**
 * A {@link Linear} whose weight W [N, K] is stored sparse. Entries equal to zero (either sign) are
 * the pruned ones; {@link #weight()} rebuilds the dense masked weight (a fresh tensor each call,
 * pruned entries +0).
 */
public sealed interface SparseLinear extends Linear permits CsrLinear, CsrInt8Linear, NmLinear, BlockCsrLinear {
    /** Stored weights that are not zero. */
    long nonZeros();

    /** Values the kernel multiplies: the non-zeros plus explicit zeros (N:M padding slots, zeros inside kept blocks). */
    long storedValues();

    /** The fraction of W that is zero, 1 - nonZeros / (N·K); 0 for an empty W. */
    default double sparsity() {
        long total = (long) inFeatures() * outFeatures();
        return total == 0 ? 0.0 : 1.0 - (double) nonZeros() / total;
    }
}
