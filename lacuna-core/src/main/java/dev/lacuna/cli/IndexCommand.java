// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.retrieval.BeirCollection;
import dev.lacuna.retrieval.ContextualTermWeights;
import dev.lacuna.retrieval.IndexBuilder;
import dev.lacuna.retrieval.IndexInfo;
import dev.lacuna.retrieval.SparseFeatureEncoder;
import dev.lacuna.retrieval.SparseFeatureEncoders;
import dev.lacuna.retrieval.TermWeightHead;
import dev.lacuna.retrieval.TermWeightTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna index}: a Lucene index on disk from a BEIR corpus (BM25, dense HNSW, learned sparse, SAE). */
@Command(name = "index", mixinStandardHelpOptions = true, description = "Build a retrieval index (Lucene) from a BEIR corpus.")
public final class IndexCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--beir", required = true, paramLabel = "DIR", description = "BEIR directory: corpus.jsonl, queries.jsonl, qrels/")
    Path beir;

    @Option(names = "--out", required = true, paramLabel = "INDEX", description = "index directory to create (atomically)")
    Path out;

    @Mixin
    OverwriteOption overwrite;

    @Option(names = "--kinds", defaultValue = "bm25,dense,sparse", paramLabel = "K,..", description = "bm25, dense, sparse, sae (default: ${DEFAULT-VALUE})")
    String kinds;

    @Option(names = "--sae", paramLabel = "DIR", description = "the SAE whose latents are the 'sae' features")
    Path sae;

    @Option(names = "--on-bad-record", defaultValue = "skip", paramLabel = "P",
            description = "fail or skip (and report) malformed JSON lines, duplicate ids and empty texts (default: ${DEFAULT-VALUE})")
    String onBad;

    @Option(names = "--split", defaultValue = "test", paramLabel = "S", description = "qrels split (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "documents per encoder batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--hnsw-m", defaultValue = "16", paramLabel = "M", description = "HNSW connections per node (default: ${DEFAULT-VALUE})")
    int hnswM;

    @Option(names = "--hnsw-beam", defaultValue = "100", paramLabel = "N", description = "HNSW beam width at construction (default: ${DEFAULT-VALUE})")
    int hnswBeam;

    @Option(names = "--sparse-mass", defaultValue = "0.9", paramLabel = "F",
            description = "learned sparse: fraction of each document's IDF-weighted term mass kept (default: ${DEFAULT-VALUE})")
    double sparseMass;

    @Option(names = "--sparse-max-terms", defaultValue = "256", paramLabel = "N", description = "learned sparse: most terms per document (default: ${DEFAULT-VALUE})")
    int sparseMaxTerms;

    @Option(names = "--sparse-head", paramLabel = "HEAD",
            description = "learned sparse: document weights from this trained term-weight head (from --train-sparse-head) instead of the untrained formula")
    Path sparseHead;

    @Option(names = "--train-sparse-head", paramLabel = "HEAD",
            description = "learned sparse: train a term-weight head on pseudo-queries made from this corpus (frozen encoder, teachers dense + BM25), write it to HEAD and index with it")
    Path trainHead;

    @Option(names = "--sparse-train-steps", defaultValue = "1500", paramLabel = "N", description = "head training: optimiser steps (default: ${DEFAULT-VALUE})")
    int trainSteps;

    @Option(names = "--sparse-train-minutes", defaultValue = "0", paramLabel = "M", description = "head training: stop after M minutes even if steps remain (0: no limit; default: ${DEFAULT-VALUE})")
    double trainMinutes;

    @Option(names = "--sparse-train-queries", defaultValue = "6000", paramLabel = "N", description = "head training: most pseudo-queries, a seeded sample (default: ${DEFAULT-VALUE})")
    int trainQueries;

    @Option(names = "--sparse-analysis", defaultValue = "words", paramLabel = "A",
            description = "terms of the sparse kind: words (BM25's English analysis of the text, each word weighed from its WordPiece tokens' states; queries analysed the same way), "
                    + "none (WordPiece tokens), or english (WordPiece tokens, stop words without weight, weights shared over stem variants; head training only). "
                    + "A --sparse-head brings its own (default: ${DEFAULT-VALUE})")
    String analysis;

    @Option(names = "--sparse-train-source", defaultValue = "false", arity = "1", paramLabel = "BOOL",
            description = "head training: put the document a pseudo-query was made from among its candidates (default: ${DEFAULT-VALUE})")
    boolean withSource;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "head training: seed of the pseudo-queries, negatives and batches (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        overwrite.refuseExisting(out, common.inputs(beir, sae, sparseHead));
        if (sparseHead != null && trainHead != null) throw new LacunaException("--sparse-head and --train-sparse-head: give one (use a trained head, or train one)");
        if (trainHead != null) {
            overwrite.refuseExisting(trainHead, common.inputs(beir, sae));
            if (trainHead.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) throw new LacunaException("--train-sparse-head " + trainHead + " is the index --out");
        }
        if (!(trainMinutes >= 0)) throw new LacunaException("--sparse-train-minutes must be >= 0, got " + trainMinutes);
        TermWeightHead.Analysis an = TermWeightHead.Analysis.of(analysis);
        if (an == null) throw new LacunaException("--sparse-analysis must be words, none or english, got '" + analysis + "'");
        if (an == TermWeightHead.Analysis.ENGLISH && trainHead == null && sparseHead == null) {
            throw new LacunaException("--sparse-analysis english is for head training (--train-sparse-head); the untrained formula takes words or none");
        }
        IndexBuilder.SparseWeights sw = an == TermWeightHead.Analysis.WORDS ? IndexBuilder.SparseWeights.FORMULA_WORDS : IndexBuilder.SparseWeights.FORMULA;
        if (sparseHead != null) {
            TermWeightHead h = TermWeightHead.read(sparseHead);
            String model = RetrievalSupport.modelId(common);
            if (h.model() != null && !h.model().equals(model)) {
                System.err.println("lacuna: warning: " + sparseHead + " was trained on --model " + h.model() + ", this run uses " + model);
            }
            sw = new IndexBuilder.SparseWeights.Head(h, sparseHead);
        }
        if (trainHead != null) {
            TermWeightTrainer.Settings ts = TermWeightTrainer.Settings.defaults(seed).withStepsAndLimit(trainSteps, trainMinutes * 60).withMaxQueries(trainQueries).withSource(withSource);
            sw = new IndexBuilder.SparseWeights.Train(ts, an, trainHead, r -> System.err.println(String.format(Locale.ROOT,
                    "lacuna: trained the term-weight head (%s): %d pseudo-queries, %d steps, held-out loss %.4f -> %.4f (step %d)%s, %.1f s; wrote %s",
                    an.key(), r.queries(), r.steps(), r.initialHeldOut(), r.bestHeldOut(), r.bestStep(),
                    an == TermWeightHead.Analysis.ENGLISH ? String.format(Locale.ROOT, ", variant share %.3f",
                            ((Number) r.head().training().get("variantShare")).doubleValue()) : "",
                    r.seconds(), trainHead)));
        }
        List<String> k = Arrays.stream(kinds.split(",")).map(String::strip).toList();
        ContextualTermWeights.Settings sp;
        try {
            sp = new ContextualTermWeights.Settings(sparseMass, sparseMaxTerms);
        } catch (IllegalArgumentException e) {
            throw new LacunaException("--sparse-mass/--sparse-max-terms: " + e.getMessage());
        }
        IndexBuilder.Settings s = new IndexBuilder.Settings(k, hnswM, hnswBeam, sp, batch);
        if (!(sw instanceof IndexBuilder.SparseWeights.Formula) && !s.kinds().contains("sparse")) {
            throw new LacunaException((sparseHead != null ? "--sparse-head" : "--train-sparse-head") + " needs sparse among --kinds, got " + kinds);
        }
        BeirCollection c = RetrievalSupport.read(beir, split, onBad);
        long t0 = System.nanoTime();
        IndexInfo info = build(common, c, s, sw, sae, out, overwrite.overwrite);
        System.out.println(String.format(Locale.ROOT, "{\"index\":\"%s\",\"documents\":%d,\"skipped\":%d,\"kinds\":\"%s\",\"seconds\":%.1f}",
                out.toString().replace("\\", "\\\\").replace("\"", "\\\""), info.documents(), info.skippedRecords(),
                String.join(",", info.kinds()), (System.nanoTime() - t0) / 1e9));
        return 0;
    }

    /** Builds an index with the encoder of {@code common} (loaded only when a kind needs it). */
    static IndexInfo build(CommonOptions common, BeirCollection c, IndexBuilder.Settings s, Path sae, Path out, boolean overwrite) {
        return build(common, c, s, IndexBuilder.SparseWeights.FORMULA_WORDS, sae, out, overwrite);
    }

    static IndexInfo build(CommonOptions common, BeirCollection c, IndexBuilder.Settings s, IndexBuilder.SparseWeights sw, Path sae, Path out, boolean overwrite) {
        if (s.kinds().contains("sae")) SparseFeatureEncoders.requireAvailable(sae);
        LoadedModel lm = s.needsEncoder() ? common.load() : null;
        SparseFeatureEncoder saeEnc = s.kinds().contains("sae")
                ? SparseFeatureEncoders.open(sae, lm.encoder().model().config().hiddenSize()) : null;
        try (Parallel par = new Parallel(common.threads())) {
            IndexBuilder.Encoder enc = lm == null ? null : new IndexBuilder.Encoder(lm.encoder(), RetrievalSupport.modelId(common),
                    lm.source(), RetrievalSupport.attentionId(common), par);
            return IndexBuilder.build(c, enc, saeEnc, s, sw, out, overwrite);
        }
    }
}
