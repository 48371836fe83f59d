// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import java.util.Arrays;

/**
 * Document term weights for inference-free sparse retrieval, derived from the encoder without a
 * trained SPLADE head. Each token's final hidden state h_i is scored against the document's pooled,
 * L2-normalised embedding e: s_i = max(0, cos(h_i, e)) (how much the token carries the document's
 * meaning); their sum over a vocabulary term's occurrences is the term's contextual frequency tf_c, which
 * goes through BM25's saturation and length normalisation (Robertson and Zaragoza 2009):
 * w = tf_c (k1 + 1) / (tf_c + k1 (1 - b + b len / avglen)). On the dev sets this beat log(1 + tf_c)
 * (SPLADE's saturation), the plain sum, the max, and BM25 over raw counts (docs/BENCHMARKS.md, "Retrieval";
 * lab: SparseWeightLab). Weights are then pruned by their IDF-weighted mass: terms sorted by
 * weight x idf are kept until {@code keepMass} of the document's total is covered (the "IDF-aware
 * FLOPS" idea of Geng et al. 2024, "Towards Competitive Search Relevance for Inference-Free Learned
 * Sparse Retrievers", applied at index time instead of as a training loss): frequent terms, whose
 * postings cost the most and score the least, are the first to go.
 *
 * <p>Shapes: T tokens of one sequence, C hidden width, V vocabulary size.
 */
public final class ContextualTermWeights {
    /**
     * @param keepMass fraction (0, 1] of the IDF-weighted mass to keep per document
     * @param maxTerms most terms kept per document
     */
    public record Settings(double keepMass, int maxTerms, double k1, double b) {
        public Settings {
            if (!(k1 > 0)) throw new IllegalArgumentException("k1 must be > 0, got " + k1);
            if (!(b >= 0 && b <= 1)) throw new IllegalArgumentException("b must be in [0, 1], got " + b);
            if (!(keepMass > 0 && keepMass <= 1)) throw new IllegalArgumentException("keepMass must be in (0, 1], got " + keepMass);
            if (maxTerms < 1) throw new IllegalArgumentException("maxTerms must be >= 1, got " + maxTerms);
        }

        public Settings(double keepMass, int maxTerms) {
            this(keepMass, maxTerms, 1.2, 0.75);
        }

        public static final Settings DEFAULT = new Settings(0.9, 256);
    }

    private ContextualTermWeights() {}

    /**
     * Weighs one document.
     *
     * @param ids     token ids of the batch [T_batch]; the document is rows [start, start + len)
     * @param hidden  last hidden state [T_batch, C]
     * @param pooled  the document's L2-normalised embedding [C]
     * @param special whether a token id is a special token (skipped)
     * @param idf     [V] inverse document frequency of each vocabulary term
     * @param avgLen  mean length in tokens (special tokens included) of the corpus's documents
     */
    public static SparseVector weigh(int[] ids, float[] hidden, int start, int len, int c, float[] pooled,
                                     java.util.function.IntPredicate special, float[] idf, double avgLen, Settings s) {
        // accumulate sum of s_i per distinct term (documents are short: a linear scan beats a map)
        int[] terms = new int[len];
        double[] sums = new double[len];
        int n = 0;
        for (int t = start; t < start + len; t++) {
            int id = ids[t];
            if (special.test(id)) continue;
            int o = t * c;
            double dot = 0, norm = 0;
            for (int j = 0; j < c; j++) {
                float h = hidden[o + j];
                dot += h * pooled[j];
                norm += h * h;
            }
            double cos = norm > 0 ? dot / Math.sqrt(norm) : 0;
            if (cos <= 0) continue;
            int k = 0;
            while (k < n && terms[k] != id) k++;
            if (k == n) terms[n++] = id;
            sums[k] += cos;
        }
        float[] w = new float[n];
        double norm = s.k1() * (1 - s.b() + s.b() * len / avgLen);
        for (int k = 0; k < n; k++) w[k] = (float) (sums[k] * (s.k1() + 1) / (sums[k] + norm));
        return prune(terms, w, n, idf, s);
    }

    /**
     * Keeps a document's heaviest terms by IDF-weighted mass (weight x idf) until {@code keepMass} of the
     * total is covered or {@code maxTerms} are kept; shared by the formula above and {@link TermWeightHead}.
     *
     * @param terms [n] distinct vocabulary ids
     * @param w     [n] their weights
     */
    static SparseVector prune(int[] terms, float[] w, int n, float[] idf, Settings s) {
        double[] mass = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            mass[k] = w[k] * idf[terms[k]];
            total += mass[k];
        }
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) order[k] = k;
        Arrays.sort(order, (a, b) -> Double.compare(mass[b], mass[a]));
        int keep = 0;
        double covered = 0;
        while (keep < n && keep < s.maxTerms() && (keep == 0 || covered < s.keepMass() * total)) {
            if (mass[order[keep]] <= 0) break;
            covered += mass[order[keep]];
            keep++;
        }
        int[] outIds = new int[keep];
        float[] outW = new float[keep];
        for (int k = 0; k < keep; k++) {
            outIds[k] = terms[order[k]];
            outW[k] = w[order[k]];
        }
        return new SparseVector(outIds, outW);
    }

    /** BM25's idf, ln(1 + (N - df + 0.5) / (df + 0.5)), always positive. */
    public static float idf(long df, long n) {
        return (float) Math.log1p((n - df + 0.5) / (df + 0.5));
    }
}
