// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;

import java.nio.file.Path;
import java.util.*;

/**
 * Lab (not a test): sweeps hybrid and PRF settings on an index with the query embeddings computed once.
 * Run: java -cp target/classes:target/test-classes:target/lib/* dev.lacuna.retrieval.HybridLab INDEX BEIR_DIR
 */
public final class HybridLab {
    public static void main(String[] a) {
        BeirCollection c = new BeirReader(OnBadRecord.SKIP, s -> {}).read(Path.of(a[1]), "test");
        LoadedModel lm = ModelLoader.load("default");
        try (RetrievalIndex idx = RetrievalIndex.open(Path.of(a[0])); Parallel par = new Parallel(2)) {
            Searcher s = new Searcher(idx, lm.encoder(), par, null);
            List<BeirQuery> qs = c.judgedQueries();
            float[][] qv = lm.encoder().embed(par, qs.stream().map(BeirQuery::text).toList(), 32, null);
            String only = a.length > 2 ? a[2] : "all";
            if (only.equals("hnsw")) {
                // HNSW top 10 vs exact top 10: the judged queries, then 500 document titles as extra queries
                List<float[]> probes = new ArrayList<>(Arrays.asList(qv));
                List<String> titles = new ArrayList<>();
                for (int d = 0; d < idx.size() && titles.size() < 500; d += Math.max(1, idx.size() / 500)) {
                    String t = idx.document(d).get("title");
                    if (t != null && !t.isBlank()) titles.add(t);
                }
                probes.addAll(Arrays.asList(lm.encoder().embed(par, titles, 32, null)));
                for (int ef : new int[] {10, 20, 40, 100}) {
                    double rec = 0, visited = 0;
                    for (float[] p : probes) {
                        Ranking h = idx.denseHnsw(p, 10, ef);
                        rec += RetrievalEvaluator.overlap(h.docs(), idx.denseExact(p, 10).docs(), 10);
                        visited += h.postings();
                    }
                    System.out.printf(Locale.ROOT, "hnsw M=%d beam=%d ef=%d: recall@10 vs exact %.4f over %d queries, %.0f vectors visited%n",
                            idx.info().hnswM(), idx.info().hnswBeamWidth(), ef, rec / probes.size(), probes.size(), visited / probes.size());
                }
                return;
            }
            List<SearchOptions> runs = new ArrayList<>();
            for (SearchOptions.Mode m : List.of(SearchOptions.Mode.BM25, SearchOptions.Mode.SPARSE, SearchOptions.Mode.DENSE, SearchOptions.Mode.DENSE_EXACT))
                runs.add(SearchOptions.defaults(m));
            if (only.equals("all") || only.equals("hybrid")) {
                double[] alphas = a.length > 3 ? Arrays.stream(a[3].split(",")).mapToDouble(Double::parseDouble).toArray()
                        : new double[] {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
                for (List<String> parts : List.of(List.of("bm25", "dense"), List.of("sparse", "dense")))
                    for (double al : alphas)
                        for (SearchOptions.Norm nm : SearchOptions.Norm.values())
                            runs.add(new SearchOptions(SearchOptions.Mode.HYBRID, 100, 100, al, parts, 3, SearchOptions.When.BEFORE, 0.5, nm));
            }
            if (only.equals("all") || only.equals("prf")) {
                double[] alphas = a.length > 3 ? Arrays.stream(a[3].split(",")).mapToDouble(Double::parseDouble).toArray() : new double[] {0.5, 1.0};
                int[] fbs = a.length > 4 ? Arrays.stream(a[4].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 3, 5};
                double[] betas = a.length > 5 ? Arrays.stream(a[5].split(",")).mapToDouble(Double::parseDouble).toArray() : new double[] {0.3, 0.5};
                for (double al : alphas)
                    for (SearchOptions.When w : SearchOptions.When.values())
                        for (int fb : fbs)
                            for (double beta : betas)
                                for (SearchOptions.Norm nm : SearchOptions.Norm.values())
                                    runs.add(new SearchOptions(SearchOptions.Mode.PRF, 100, 100, al, List.of("bm25", "dense"), fb, w, beta, nm));
            }
            for (SearchOptions o : runs) {
                double ndcg = 0, rec = 0;
                for (int i = 0; i < qs.size(); i++) {
                    Ranking r = s.search(qs.get(i).text(), qv[i], o);
                    ndcg += TrecMetrics.ndcg(r.docs(), c.qrels().get(qs.get(i).id()), 10);
                    rec += TrecMetrics.recall(r.docs(), c.qrels().get(qs.get(i).id()), 100);
                }
                System.out.printf(Locale.ROOT, "%-60s ndcg@10=%.4f recall@100=%.4f%n", o.describe(), ndcg / qs.size(), rec / qs.size());
            }
        }
    }
}
