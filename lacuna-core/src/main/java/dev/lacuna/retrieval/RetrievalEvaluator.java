// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.LacunaException;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every judged query of a collection through a {@link Searcher} and scores the runs with
 * {@link TrecMetrics}: mean nDCG@10 and recall@100 over the queries with a positive judgement, query
 * latency percentiles (wall time of the whole query, including its embedding where the mode needs one,
 * after an untimed warm-up pass over the first queries), and mean postings per query.
 */
public final class RetrievalEvaluator {
    private RetrievalEvaluator() {}

    /**
     * @param hnswRecall10      for {@code dense} (HNSW): mean fraction of the exact top 10 that the graph search
     *                          returned in its top 10; NaN for other modes
     * @param qrelsNotInCorpus  judgements naming a document the corpus lacks (they can only lower the scores)
     */
    public record Result(int queries, double ndcg10, double recall100, double p50Ms, double p99Ms, double postingsPerQuery,
                         double hnswRecall10, int qrelsNotInCorpus, Map<String, List<ScoredDoc>> runs) {
        /** The contract line of {@code lacuna eval retrieval}; {@code qrels_not_in_corpus} only when there are some. */
        public String json() {
            return String.format(Locale.ROOT, "{\"queries\":%d,\"ndcg@10\":%.4f,\"recall@100\":%.4f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"postings_per_query\":%.1f%s}",
                    queries, ndcg10, recall100, p50Ms, p99Ms, postingsPerQuery,
                    qrelsNotInCorpus == 0 ? "" : ",\"qrels_not_in_corpus\":" + qrelsNotInCorpus);
        }
    }

    public static Result evaluate(Searcher searcher, BeirCollection c, SearchOptions o, int warmup) {
        List<BeirQuery> qs = c.judgedQueries();
        if (qs.isEmpty()) throw new LacunaException(c.dir() + ": no query has a judged document with a positive grade");
        List<String> unknown = c.judgementsNotInCorpus();
        if (!unknown.isEmpty() && !anyPositiveInCorpus(c, qs, new java.util.HashSet<>(unknown))) {
            // every score would be 0 by construction: the qrels belong to another corpus
            throw new LacunaException(c.dir() + ": no positive qrel names a document in the corpus (" + unknown.size()
                    + " qrels name documents not in it, e.g. " + unknown.getFirst() + ")");
        }
        SearchOptions deep = o.withDepth(Math.max(100, o.depth()));
        for (int i = 0; i < Math.min(warmup, qs.size()); i++) searcher.search(qs.get(i).text(), deep);
        double[] ms = new double[qs.size()];
        double ndcg = 0, recall = 0, postings = 0;
        Map<String, List<ScoredDoc>> runs = new java.util.LinkedHashMap<>();
        boolean vector = Searcher.needsVector(o);
        double hnswRecall = 0;
        for (int i = 0; i < qs.size(); i++) {
            BeirQuery q = qs.get(i);
            long t0 = System.nanoTime();
            float[] qv = vector ? searcher.embed(q.text()) : null;
            Ranking r = searcher.search(q.text(), qv, deep);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            Map<String, Integer> judged = c.qrels().get(q.id());
            ndcg += TrecMetrics.ndcg(r.docs(), judged, 10);
            recall += TrecMetrics.recall(r.docs(), judged, 100);
            postings += r.postings();
            runs.put(q.id(), r.docs());
            if (o.mode() == SearchOptions.Mode.DENSE) hnswRecall += overlap(r.docs(), searcher.index().denseExact(qv, 10).docs(), 10);
        }
        int n = qs.size();
        return new Result(n, ndcg / n, recall / n, TrecMetrics.quantile(ms, 0.5), TrecMetrics.quantile(ms, 0.99), postings / n,
                o.mode() == SearchOptions.Mode.DENSE ? hnswRecall / n : Double.NaN, unknown.size(), runs);
    }

    private static boolean anyPositiveInCorpus(BeirCollection c, List<BeirQuery> judged, java.util.Set<String> absent) {
        for (BeirQuery q : judged) {
            for (var e : c.qrels().get(q.id()).entrySet()) if (e.getValue() > 0 && !absent.contains(e.getKey())) return true;
        }
        return false;
    }

    /** Fraction of {@code exact}'s first k found among {@code approx}'s first k. */
    static double overlap(List<ScoredDoc> approx, List<ScoredDoc> exact, int k) {
        java.util.Set<Integer> a = new java.util.HashSet<>();
        for (int i = 0; i < Math.min(k, approx.size()); i++) a.add(approx.get(i).doc());
        int hit = 0, n = Math.min(k, exact.size());
        for (int i = 0; i < n; i++) if (a.contains(exact.get(i).doc())) hit++;
        return n == 0 ? 1 : (double) hit / n;
    }
}
