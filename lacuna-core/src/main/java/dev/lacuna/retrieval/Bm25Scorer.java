// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BM25 in memory over the index's English analysis ({@link Fields#analyzer}), scoring any (query,
 * document) pair, not only a top list: the lexical teacher of {@link TermWeightTrainer}. The formula is
 * Lucene's {@code BM25Similarity} (k1 1.2, b 0.75, idf ln(1 + (N − df + 0.5)/(df + 0.5)), tf/(tf + k1(1 −
 * b + b dl/avgdl)), exact document lengths where Lucene keeps a one-byte norm).
 *
 * <p>Shapes: N documents.
 */
final class Bm25Scorer {
    private static final double K1 = 1.2, B = 0.75;
    private final Map<String, int[][]> postings = new HashMap<>();   // term → {docs[], tfs[]}
    private final int[] length;                                      // [N] analysed terms per document
    private final double avgLength;
    private final Analyzer analyzer = Fields.analyzer();

    Bm25Scorer(List<String> texts) {
        int n = texts.size();
        length = new int[n];
        Map<String, List<int[]>> build = new HashMap<>();
        long total = 0;
        for (int d = 0; d < n; d++) {
            Map<String, Integer> tf = terms(texts.get(d));
            int len = 0;
            for (var e : tf.entrySet()) {
                build.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new int[] {d, e.getValue()});
                len += e.getValue();
            }
            length[d] = len;
            total += len;
        }
        avgLength = n == 0 ? 0 : (double) total / n;
        for (var e : build.entrySet()) {
            List<int[]> l = e.getValue();
            int[][] p = new int[2][l.size()];
            for (int i = 0; i < l.size(); i++) {
                p[0][i] = l.get(i)[0];
                p[1][i] = l.get(i)[1];
            }
            postings.put(e.getKey(), p);
        }
    }

    /** Analysed terms of a text with their counts, in first-occurrence order. */
    Map<String, Integer> terms(String text) {
        Map<String, Integer> tf = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream(Fields.TEXT, text)) {
            CharTermAttribute a = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) tf.merge(a.toString(), 1, Integer::sum);
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tf;
    }

    /** Every document's BM25 score for {@code query} [N] (a repeated query term counts per occurrence). */
    double[] scores(String query) {
        double[] s = new double[length.length];
        int n = length.length;
        for (var e : terms(query).entrySet()) {
            int[][] p = postings.get(e.getKey());
            if (p == null) continue;
            double idf = Math.log1p((n - p[0].length + 0.5) / (p[0].length + 0.5)) * e.getValue();
            for (int i = 0; i < p[0].length; i++) {
                int d = p[0][i];
                double tf = p[1][i];
                s[d] += idf * tf / (tf + K1 * (1 - B + B * length[d] / avgLength));
            }
        }
        return s;
    }
}
