// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import java.util.List;

/**
 * One query's results, best first, and what they cost.
 *
 * @param postings postings (or vectors) scored: the sum of the document frequencies of the query's
 *                 terms for inverted-index modes (the FLOPS of a sparse representation), the vectors
 *                 visited for HNSW, every vector for exact search
 */
public record Ranking(List<ScoredDoc> docs, long postings) {}
