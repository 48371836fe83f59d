// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranking metrics computed as trec_eval 9 (and pytrec_eval, which BEIR uses) computes them:
 * <ul>
 * <li>the run is re-sorted by score descending, ties broken by document id descending (trec_eval's
 *     {@code comp_sim_docno}), whatever order the retriever returned; a repeated id counts once;</li>
 * <li>{@code ndcg_cut.k}: gain = the judged grade (0 for unjudged or grade <= 0), discount
 *     {@code log2(rank + 1)} with rank from 1, ideal DCG from all judged documents of the query
 *     sorted by grade, cut at k;</li>
 * <li>{@code recall.k}: relevant (grade >= 1) documents in the top k over all relevant ones.</li>
 * </ul>
 * No document is dropped (BEIR's default drops a document whose id equals the query id; trec_eval does not).
 */
public final class TrecMetrics {
    private TrecMetrics() {}

    /** The run in trec_eval's order: score descending, then id descending; first occurrence of an id kept. */
    public static List<ScoredDoc> trecOrder(List<ScoredDoc> run) {
        Set<String> seen = new HashSet<>();
        List<ScoredDoc> out = new ArrayList<>(run.size());
        for (ScoredDoc d : run) if (seen.add(d.id())) out.add(d);
        out.sort(Comparator.comparingDouble((ScoredDoc d) -> d.score()).reversed()
                .thenComparing(ScoredDoc::id, Comparator.reverseOrder()));
        return out;
    }

    /** nDCG at {@code k} of one query's run against its judgements (document id -> grade). */
    public static double ndcg(List<ScoredDoc> run, Map<String, Integer> judged, int k) {
        List<ScoredDoc> r = trecOrder(run);
        double dcg = 0;
        for (int i = 0; i < Math.min(k, r.size()); i++) {
            int g = judged.getOrDefault(r.get(i).id(), 0);
            if (g > 0) dcg += g / log2(i + 2);
        }
        int[] grades = judged.values().stream().mapToInt(Integer::intValue).filter(g -> g > 0).toArray();
        Arrays.sort(grades);
        double ideal = 0;
        for (int i = 0; i < Math.min(k, grades.length); i++) ideal += grades[grades.length - 1 - i] / log2(i + 2);
        return ideal == 0 ? 0 : dcg / ideal;
    }

    /** Recall at {@code k}: relevant documents (grade >= 1) in the top k over all relevant documents. */
    public static double recall(List<ScoredDoc> run, Map<String, Integer> judged, int k) {
        long relevant = judged.values().stream().filter(g -> g >= 1).count();
        if (relevant == 0) return 0;
        List<ScoredDoc> r = trecOrder(run);
        int hit = 0;
        for (int i = 0; i < Math.min(k, r.size()); i++) if (judged.getOrDefault(r.get(i).id(), 0) >= 1) hit++;
        return (double) hit / relevant;
    }

    /** The q-quantile (0..1) of {@code values} with linear interpolation between order statistics (numpy's default). */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
