// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.LacunaException;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How to search. Defaults (see {@link #defaults}) are the settings that worked best on the dev sets
 * (cranfield and dbpedia-5k; docs/BENCHMARKS.md, "Retrieval"), so a bare {@code --mode hybrid} is the
 * recommended hybrid.
 *
 * @param depth        results returned (and taken from each part of a hybrid)
 * @param ef           candidates explored on the HNSW graph (ef_search), at least depth
 * @param alpha        hybrid weight of the second part: score = (1 - alpha) norm(first) + alpha norm(second)
 * @param parts        the two retrievers a hybrid interpolates: bm25, sparse, sae, dense, dense-exact
 * @param feedbackDocs PRF: top documents averaged into the dense query
 * @param when         PRF: where the lexical part is interpolated: before PRF only, after it only, or both (Li et al., SIGIR 2022)
 * @param beta         PRF: Rocchio weight of the feedback centroid, q' = (1 - beta) q + beta mean(feedback)
 * @param norm         hybrid/prf: how each part's scores are normalised before interpolation
 */
public record SearchOptions(Mode mode, int depth, int ef, double alpha, List<String> parts, int feedbackDocs, When when, double beta,
                            Norm norm) {
    public static final Set<String> PARTS = Set.of("bm25", "sparse", "sae", "dense", "dense-exact");

    public enum Mode {
        BM25, DENSE, DENSE_EXACT, SPARSE, SAE, HYBRID, PRF;

        public static Mode parse(String s) {
            for (Mode m : values()) if (m.cli().equals(s)) return m;
            throw new LacunaException("unknown --mode '" + s + "' (bm25, dense, dense-exact, sparse, sae, hybrid, prf)");
        }

        public String cli() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Score normalisation of a hybrid's parts over each part's own results: min-max to [0, 1], z-score
     * (mean 0, standard deviation 1), or "theoretical" min-max (TM2C2: a lexical part divided by its
     * best score, a dense part's cosine as it is, its theoretical range), as compared in Bruch et al.
     * 2023, "An Analysis of Fusion Functions for Hybrid Retrieval".
     */
    public enum Norm {
        MINMAX, ZSCORE, THEORETICAL;

        public static Norm parse(String s) {
            for (Norm n : values()) if (n.name().equalsIgnoreCase(s)) return n;
            throw new LacunaException("--norm must be minmax, zscore or theoretical, got '" + s + "'");
        }
    }

    /**
     * The arms of "To Interpolate or not to Interpolate" (Li et al., SIGIR 2022): where the lexical part is
     * interpolated with the dense one, relative to the one PRF round. {@code BEFORE}: feedback from the
     * interpolated run, the PRF dense run is the answer; {@code AFTER}: feedback from the dense run, the PRF
     * run is interpolated; {@code BOTH}: feedback from the interpolated run and the PRF run interpolated.
     */
    public enum When {
        BEFORE, AFTER, BOTH;

        public static When parse(String s) {
            for (When w : values()) if (w.name().equalsIgnoreCase(s)) return w;
            throw new LacunaException("--when must be before, after or both, got '" + s + "'");
        }
    }

    public SearchOptions {
        if (depth < 1) throw new LacunaException("--k must be >= 1, got " + depth);
        if (ef < 1) throw new LacunaException("--ef must be >= 1, got " + ef);
        if (!(alpha >= 0 && alpha <= 1)) throw new LacunaException("--alpha must be in [0, 1], got " + alpha);
        if (parts.size() != 2) throw new LacunaException("--parts takes two retrievers, e.g. bm25,dense; got " + String.join(",", parts));
        for (String p : parts) if (!PARTS.contains(p)) throw new LacunaException("unknown part '" + p + "' in --parts (bm25, sparse, sae, dense, dense-exact)");
        if (feedbackDocs < 1) throw new LacunaException("--feedback-docs must be >= 1, got " + feedbackDocs);
        if (!(beta >= 0 && beta <= 1)) throw new LacunaException("--beta must be in [0, 1], got " + beta);
        parts = List.copyOf(parts);
    }

    /**
     * Tuned defaults for {@code mode}: chosen on the mean nDCG@10 of cranfield and dbpedia-5k (labs
     * HybridLab; docs/BENCHMARKS.md, "Retrieval"). A hybrid weighs the dense part 0.6, z-scored; PRF, which
     * leans more on the dense side, 0.8 with Rocchio feedback from the 5 best documents of the interpolated
     * run and the PRF run interpolated again (the paper's "both").
     */
    public static SearchOptions defaults(Mode mode) {
        double alpha = mode == Mode.PRF ? DEFAULT_PRF_ALPHA : DEFAULT_ALPHA;
        return new SearchOptions(mode, 100, DEFAULT_EF, alpha, DEFAULT_PARTS, DEFAULT_FEEDBACK_DOCS, DEFAULT_WHEN, DEFAULT_BETA,
                DEFAULT_NORM);
    }

    public static final int DEFAULT_EF = 100;
    public static final double DEFAULT_ALPHA = 0.6;
    public static final double DEFAULT_PRF_ALPHA = 0.8;
    public static final List<String> DEFAULT_PARTS = List.of("bm25", "dense");
    public static final int DEFAULT_FEEDBACK_DOCS = 5;
    public static final When DEFAULT_WHEN = When.BOTH;
    public static final double DEFAULT_BETA = 0.5;
    public static final Norm DEFAULT_NORM = Norm.ZSCORE;

    public SearchOptions withDepth(int d) {
        return new SearchOptions(mode, d, ef, alpha, parts, feedbackDocs, when, beta, norm);
    }

    /** The settings that matter for this mode, for reports. */
    public String describe() {
        return switch (mode) {
            case HYBRID -> String.format(Locale.ROOT, "hybrid %s alpha=%.2f norm=%s", String.join(",", parts), alpha, norm.name().toLowerCase(Locale.ROOT));
            case PRF -> String.format(Locale.ROOT, "prf %s alpha=%.2f norm=%s when=%s feedback-docs=%d beta=%.2f",
                    String.join(",", parts), alpha, norm.name().toLowerCase(Locale.ROOT), when.name().toLowerCase(Locale.ROOT), feedbackDocs, beta);
            case DENSE -> "dense ef=" + ef;
            default -> mode.cli();
        };
    }
}
