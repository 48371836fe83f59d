// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

/** One result: the document's BEIR id, its Lucene doc number in the index, and its score. */
public record ScoredDoc(String id, int doc, float score) {}
