// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Sparse autoencoders on hook points: activation store and capture, one file per architecture (listed in
 * {@link dev.lacuna.sae.SaeArchitectures}), trainer, evaluation, dashboard, head codes, and the SAE
 * feature encoder for retrieval.
 * Uses {@code retrieval} (its encoder seam), {@code encoder}, {@code model}, {@code format}, {@code
 * eval}, {@code kernel}, {@code kernel.internal} (vector species), {@code train} (AdamW), {@code io}.
 */
package dev.lacuna.sae;
