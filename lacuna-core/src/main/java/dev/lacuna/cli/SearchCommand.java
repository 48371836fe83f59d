// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.retrieval.Ranking;
import dev.lacuna.retrieval.RetrievalIndex;
import dev.lacuna.retrieval.ScoredDoc;
import dev.lacuna.retrieval.SearchOptions;
import dev.lacuna.retrieval.Searcher;
import dev.lacuna.retrieval.SparseFeatureEncoder;
import dev.lacuna.retrieval.SparseFeatureEncoders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna search}: one query against an index; prints rank, id, score and title per line. */
@Command(name = "search", mixinStandardHelpOptions = true, description = "Search an index built by 'lacuna index'.")
public final class SearchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    SearchOptionsMixin search;

    @Option(names = "--index", required = true, paramLabel = "INDEX", description = "index directory")
    Path index;

    @Option(names = "--query", required = true, paramLabel = "TEXT", description = "the query")
    String query;

    @Option(names = "--k", defaultValue = "10", paramLabel = "N", description = "results to print (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--sae", paramLabel = "DIR", description = "the SAE the index's sae features came from (--mode sae)")
    Path sae;

    @Override
    public Integer call() {
        if (query.isBlank()) throw new LacunaException("--query is empty (give the text to search for)");
        SearchOptions o = search.options(k);
        try (RetrievalIndex idx = RetrievalIndex.open(index);
             Parallel par = new Parallel(common.threads())) {
            if (RetrievalSupport.kindsFor(o).contains("sae")) SparseFeatureEncoders.requireAvailable(sae);
                LoadedModel lm = RetrievalSupport.loadIfNeeded(common, RetrievalSupport.needsModel(o));
            if (lm != null) Searcher.checkProvenance(idx.info(), RetrievalSupport.modelId(common), RetrievalSupport.attentionId(common), index);
            SparseFeatureEncoder saeEnc = RetrievalSupport.kindsFor(o).contains("sae")
                    ? SparseFeatureEncoders.open(sae, idx.info().dim()) : null;
            Searcher s = new Searcher(idx, lm == null ? null : lm.encoder(), par, saeEnc);
            long t0 = System.nanoTime();
            Ranking r = s.search(query, o);
            double ms = (System.nanoTime() - t0) / 1e6;
            int rank = 1;
            for (ScoredDoc d : r.docs()) {
                String title = idx.document(d.doc()).get("title");
                System.out.println(String.format(Locale.ROOT, "%d\t%s\t%.4f\t%s", rank++, d.id(), d.score(), title == null ? "" : title));
            }
            System.err.println(String.format(Locale.ROOT, "lacuna: %s, %d results in %.2f ms, %d postings", o.describe(), r.docs().size(), ms, r.postings()));
        }
        return 0;
    }
}
