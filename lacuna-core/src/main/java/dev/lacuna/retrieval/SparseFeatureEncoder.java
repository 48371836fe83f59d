// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

/**
 * Dense embedding in, sparse features out: the seam for SAE-sparse retrieval, where the latents of a
 * sparse autoencoder over sentence embeddings are the features (interpretable sparse retrieval).
 * Documents and queries go through the same encoder; scores are the dot product of the sparse vectors.
 * Implementations come from {@link Provider}s found by {@link java.util.ServiceLoader}
 * (e.g. the SAE package registers one, listing its class in
 * {@code META-INF/services/dev.lacuna.retrieval.SparseFeatureEncoder$Provider}), so this package does not
 * depend on them. {@code lacuna index --kinds sae --sae DIR} and {@code --mode sae} then work unchanged.
 */
public interface SparseFeatureEncoder {
    /** A short description for reports and index metadata, e.g. the SAE's path and size. */
    String describe();

    /** Width of the input embedding it accepts. */
    int inputDim();

    /** Number of features (latents); ids returned are below it. */
    int features();

    /** Sparse features of one L2-normalised embedding [inputDim]; weights > 0. */
    SparseVector encode(float[] embedding);

    /** Opens encoders from a path given on the command line (e.g. {@code --sae DIR}). */
    interface Provider {
        /** Whether this provider can open {@code spec}. */
        boolean accepts(java.nio.file.Path spec);

        SparseFeatureEncoder open(java.nio.file.Path spec);
    }
}
