// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrecMetricsTest {
    /** Judgements: graded 3, 2, 2, 1 relevant (d5 never retrieved), d3 judged non-relevant. */
    private static Map<String, Integer> qrels() {
        Map<String, Integer> q = new LinkedHashMap<>();
        q.put("d1", 3);
        q.put("d2", 2);
        q.put("d3", 0);
        q.put("d4", 1);
        q.put("d5", 2);
        return q;
    }

    /** Returned in an order trec_eval ignores: d1 and d2 tie, and ties go to the larger id (d2) first. */
    private static List<ScoredDoc> run() {
        return List.of(new ScoredDoc("dA", 0, 0.9f), new ScoredDoc("d1", 1, 0.8f), new ScoredDoc("d2", 2, 0.8f),
                new ScoredDoc("d4", 3, 0.5f), new ScoredDoc("d3", 4, 0.4f), new ScoredDoc("d2", 2, 0.1f));
    }

    @Test
    void ndcgWithGradedGainsAndTiesAsTrecEval() {
        // by hand: order dA, d2, d1, d4, d3 (tie d1/d2 broken by id descending)
        // DCG@10 = 0/log2(2) + 2/log2(3) + 3/log2(4) + 1/log2(5) + 0 = 3.192536
        // ideal  = 3/log2(2) + 2/log2(3) + 2/log2(4) + 1/log2(5)     = 5.692536 (d5 counts though never retrieved)
        assertEquals(0.5608284, TrecMetrics.ndcg(run(), qrels(), 10), 1e-6);
        // @3: (2/log2(3) + 3/2) / (3 + 2/log2(3) + 2/2)
        assertEquals(0.5248828, TrecMetrics.ndcg(run(), qrels(), 3), 1e-6);
        // the other tie order (d1 first) would give 0.5838; an ideal from retrieved documents only, 0.6609
    }

    @Test
    void recallCountsGradeAtLeastOneOverAllRelevant() {
        assertEquals(0.5, TrecMetrics.recall(run(), qrels(), 3), 1e-12);     // d2, d1 of d1, d2, d4, d5
        assertEquals(0.75, TrecMetrics.recall(run(), qrels(), 100), 1e-12);  // d5 never retrieved; d2 counted once
    }

    @Test
    void documentWithTheQueryIdIsNotDropped() {
        // BEIR drops a document whose id equals the query id; trec_eval does not, and neither do we
        Map<String, Integer> q = Map.of("7", 2, "8", 1);
        List<ScoredDoc> r = List.of(new ScoredDoc("7", 0, 1f), new ScoredDoc("8", 1, 0.5f));
        assertEquals(1.0, TrecMetrics.ndcg(r, q, 10), 1e-12);
    }

    @Test
    void noRelevantRetrievedGivesZero() {
        assertEquals(0.0, TrecMetrics.ndcg(List.of(new ScoredDoc("x", 0, 1f)), qrels(), 10), 0);
    }

    @Test
    void quantileInterpolatesLinearly() {
        double[] v = {4, 1, 3, 2};
        assertEquals(2.5, TrecMetrics.quantile(v, 0.5), 1e-12);
        assertEquals(3.97, TrecMetrics.quantile(v, 0.99), 1e-12);
    }
}
