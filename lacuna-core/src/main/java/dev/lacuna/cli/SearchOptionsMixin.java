// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.retrieval.SearchOptions;
import picocli.CommandLine.Option;

import java.util.Arrays;

/** Search-mode options of {@code lacuna search} and {@code lacuna eval retrieval}; defaults are the tuned ones. */
public final class SearchOptionsMixin {
    @Option(names = "--mode", defaultValue = "dense", paramLabel = "MODE",
            description = "bm25, dense (HNSW), dense-exact, sparse (inference-free), sae, hybrid, prf (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--parts", paramLabel = "A,B", description = "hybrid/prf: the two retrievers to interpolate, from bm25, sparse, sae, dense, dense-exact (default, tuned on the dev sets: bm25,dense)")
    String parts;

    @Option(names = "--alpha", paramLabel = "X", description = "hybrid/prf: weight of the second part, score = (1-alpha) norm(A) + alpha norm(B) (default, tuned: " + SearchOptions.DEFAULT_ALPHA + " for hybrid, " + SearchOptions.DEFAULT_PRF_ALPHA + " for prf)")
    Double alpha;

    @Option(names = "--ef", paramLabel = "N", description = "dense: HNSW candidates explored per query, ef_search (default: " + SearchOptions.DEFAULT_EF + ")")
    Integer ef;

    @Option(names = "--feedback-docs", paramLabel = "N", description = "prf: feedback documents (default, tuned: " + SearchOptions.DEFAULT_FEEDBACK_DOCS + ")")
    Integer feedbackDocs;

    @Option(names = "--when", paramLabel = "W", description = "prf: where the lexical part is interpolated, relative to the PRF round: before (feedback from the interpolated run, the PRF run is the answer), after (feedback from the dense run, the PRF run interpolated) or both (default, tuned: both)")
    String when;

    @Option(names = "--beta", paramLabel = "X", description = "prf: Rocchio weight of the feedback centroid (default, tuned: " + SearchOptions.DEFAULT_BETA + ")")
    Double beta;

    @Option(names = "--norm", paramLabel = "N", description = "hybrid/prf: minmax, zscore or theoretical normalisation of each part's scores (default, tuned: zscore)")
    String norm;

    SearchOptions options(int depth) {
        SearchOptions d = SearchOptions.defaults(SearchOptions.Mode.parse(mode));
        return new SearchOptions(d.mode(), depth, ef == null ? d.ef() : ef, alpha == null ? d.alpha() : alpha,
                parts == null ? d.parts() : Arrays.stream(parts.split(",")).map(String::strip).toList(),
                feedbackDocs == null ? d.feedbackDocs() : feedbackDocs,
                when == null ? d.when() : SearchOptions.When.parse(when), beta == null ? d.beta() : beta,
                norm == null ? d.norm() : SearchOptions.Norm.parse(norm));
    }
}
