// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

/** Field names of a Lacuna index and the analyzer of its BM25 field. */
final class Fields {
    private Fields() {}

    /** BEIR id, indexed as one term and stored. */
    static final String ID = "id";
    /** Title, stored only. */
    static final String TITLE = "title";
    /** {@code title + " " + text}, analysed for BM25 and stored (for exports). */
    static final String TEXT = "text";
    /** Dense embedding, HNSW graph + flat vectors (exact search reads these). */
    static final String DENSE = "dense";
    /** Learned term weights as FeatureField impacts, one feature per vocabulary token. */
    static final String SPARSE = "sparse";
    /** The same weights at full precision (FeatureField keeps 9 mantissa bits), for exports. */
    static final String SPARSE_STORED = "sparse_vec";
    /** SAE latents as FeatureField impacts, feature name {@code "f" + latent}. */
    static final String SAE = "sae";
    static final String SAE_STORED = "sae_vec";

    /** English BM25 analysis: standard tokenizer, lower case, English stop words, Porter stemming. */
    static Analyzer analyzer() {
        return new EnglishAnalyzer();
    }

    static String saeFeature(int latent) {
        return "f" + latent;
    }
}
