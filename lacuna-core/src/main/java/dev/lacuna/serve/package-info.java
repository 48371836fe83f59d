// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * {@code lacuna serve}: the embedding HTTP server (OpenAI and text-embeddings-inference routes on Javalin),
 * its dynamic batcher, limits, metrics and load generator.
 * Uses encoder, load, retrieval (term weights, SAE features) and the layers below; only cli uses it.
 */
package dev.lacuna.serve;
