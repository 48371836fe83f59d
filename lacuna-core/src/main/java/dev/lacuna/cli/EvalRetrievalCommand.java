// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.AtomicOutput;
import dev.lacuna.io.PathChecks;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.retrieval.BeirCollection;
import dev.lacuna.retrieval.ContextualTermWeights;
import dev.lacuna.retrieval.IndexBuilder;
import dev.lacuna.retrieval.IndexInfo;
import dev.lacuna.retrieval.RetrievalEvaluator;
import dev.lacuna.retrieval.RetrievalIndex;
import dev.lacuna.retrieval.ScoredDoc;
import dev.lacuna.retrieval.SearchOptions;
import dev.lacuna.retrieval.Searcher;
import dev.lacuna.retrieval.SparseFeatureEncoder;
import dev.lacuna.retrieval.SparseFeatureEncoders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lacuna eval retrieval}: nDCG@10, recall@100 (as trec_eval), latency and postings per query on a
 * BEIR collection. Without {@code --index} it builds a temporary index with just the kinds the mode
 * needs; with {@code --index} it opens that index, or builds it there first (bm25, dense, sparse) and keeps it.
 */
@Command(name = "retrieval", mixinStandardHelpOptions = true, description = "Retrieval quality on a BEIR collection (nDCG@10, recall@100, latency).")
public final class EvalRetrievalCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    SearchOptionsMixin search;

    @Option(names = "--beir", required = true, paramLabel = "DIR", description = "BEIR directory: corpus.jsonl, queries.jsonl, qrels/")
    Path beir;

    @Option(names = "--split", defaultValue = "test", paramLabel = "S", description = "qrels split (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--index", paramLabel = "INDEX", description = "index to search; built there (and kept) when it does not exist")
    Path index;

    @Option(names = "--on-bad-record", defaultValue = "skip", paramLabel = "P",
            description = "fail or skip (and report) malformed JSON lines, duplicate ids and empty texts (default: ${DEFAULT-VALUE})")
    String onBad;

    @Option(names = "--sae", paramLabel = "DIR", description = "the SAE whose latents are the 'sae' features")
    Path sae;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "documents per encoder batch when indexing (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--warmup", defaultValue = "20", paramLabel = "N", description = "untimed queries run first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--run", paramLabel = "FILE", description = "also write the run in TREC format (qid Q0 docid rank score tag), for trec_eval")
    Path run;

    @Override
    public Integer call() throws IOException {
        SearchOptions o = search.options(100);
        PathChecks.refuseOutputOverInput(run, common.inputs(beir, index, sae));
        BeirCollection c = RetrievalSupport.read(beir, split, onBad);
        List<String> unknown = c.judgementsNotInCorpus();
        if (!unknown.isEmpty()) {
            System.err.println("lacuna: " + unknown.size() + " qrels name documents not in the corpus (e.g. " + unknown.getFirst() + ")");
        }
        Path tmp = null;
        Path where = index;
        try {
            if (where == null) {
                tmp = Files.createTempDirectory("lacuna-retrieval-");
                where = tmp.resolve("index");
                build(c, RetrievalSupport.kindsFor(o), where);
            } else if (!Files.exists(where)) {
                List<String> kinds = new ArrayList<>(List.of("bm25", "dense", "sparse"));
                if (sae != null) kinds.add("sae");
                System.err.println("lacuna: building index " + where + " (kept for later runs)");
                build(c, List.copyOf(new LinkedHashSet<>(kinds)), where);
            }
            try (RetrievalIndex idx = RetrievalIndex.open(where);
                 Parallel par = new Parallel(common.threads())) {
                IndexInfo info = idx.info();
                if (info.documents() != c.documents().size()) {
                    throw new LacunaException(where + ": holds " + info.documents() + " documents, but " + beir + " has "
                            + c.documents().size() + " (built from " + info.corpus() + "; use another --index)");
                }
                if (RetrievalSupport.kindsFor(o).contains("sae")) SparseFeatureEncoders.requireAvailable(sae);
                LoadedModel lm = RetrievalSupport.loadIfNeeded(common, RetrievalSupport.needsModel(o));
                if (lm != null) Searcher.checkProvenance(info, RetrievalSupport.modelId(common), RetrievalSupport.attentionId(common), where);
                SparseFeatureEncoder saeEnc = RetrievalSupport.kindsFor(o).contains("sae") ? SparseFeatureEncoders.open(sae, info.dim()) : null;
                Searcher s = new Searcher(idx, lm == null ? null : lm.encoder(), par, saeEnc);
                RetrievalEvaluator.Result r = RetrievalEvaluator.evaluate(s, c, o, warmup);
                if (run != null) writeRun(r.runs(), o);
                System.err.println("lacuna: " + o.describe() + " on " + beir);
                if (RetrievalSupport.kindsFor(o).contains("sparse")) {
                    System.err.println("lacuna: sparse document weights: " + (info.sparseHead() == null ? "the untrained formula" : info.sparseHead()));
                }
                if (!Double.isNaN(r.hnswRecall10())) {
                    System.err.println(String.format(Locale.ROOT, "lacuna: HNSW recall@10 vs exact search: %.4f (M=%d, beam=%d, ef=%d)",
                            r.hnswRecall10(), info.hnswM(), info.hnswBeamWidth(), o.ef()));
                }
                System.out.println(r.json());
            }
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
        return 0;
    }

    private void build(BeirCollection c, List<String> kinds, Path out) {
        IndexBuilder.Settings s = new IndexBuilder.Settings(kinds, 16, 100, ContextualTermWeights.Settings.DEFAULT, batch);
        IndexCommand.build(common, c, s, sae, out, false);
    }

    private void writeRun(Map<String, List<ScoredDoc>> runs, SearchOptions o) throws IOException {
        try (AtomicOutput out = AtomicOutput.open(run)) {
            Writer w = out.writer();
            String tag = "lacuna-" + o.mode().cli();
            for (var e : runs.entrySet()) {
                int rank = 1;
                for (ScoredDoc d : e.getValue()) {
                    w.write(String.format(Locale.ROOT, "%s Q0 %s %d %.6f %s%n", e.getKey(), d.id(), rank++, d.score(), tag));
                }
            }
            out.commit();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
