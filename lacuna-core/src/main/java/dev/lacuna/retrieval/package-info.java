// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Retrieval on Lucene with the engine's encoders: index, search modes, metrics, bulk export.
 * Uses {@code encoder}, {@code model}, {@code tokenizer}, {@code train} (AdamW for the term-weight head),
 * {@code concurrent}, {@code io}; the SAE plugs
 * in through {@link dev.lacuna.retrieval.SparseFeatureEncoder.Provider}.
 *
 * <p>BEIR data, an on-disk index holding BM25 text, dense vectors (HNSW and exact), learned sparse term
 * weights (an untrained formula or a trained term-weight head) and SAE features as {@code FeatureField} impacts; search modes (bm25, dense, dense-exact, sparse, sae, hybrid, prf); trec_eval-compatible
 * metrics; bulk exports to OpenSearch and Elasticsearch.
 */
package dev.lacuna.retrieval;
