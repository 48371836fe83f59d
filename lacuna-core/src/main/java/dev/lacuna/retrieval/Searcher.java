// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.model.Pooling;
import dev.lacuna.tokenizer.WordPieceTokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search modes over a {@link RetrievalIndex}:
 * <ul>
 * <li>{@code bm25}; {@code dense} (HNSW) and {@code dense-exact}; {@code sparse}, inference-free: the
 *     query is only tokenised with the model's WordPiece tokenizer and each token weighted by its corpus
 *     IDF (OpenSearch's doc-only mode), no model runs; {@code sae}: SAE latents of the query embedding;</li>
 * <li>{@code hybrid}: interpolation of two retrievers' normalised scores (min-max, z-score or theoretical over each
 *     part's results; the dense part's score of a candidate only the other part found is looked up
 *     exactly, the vectors being in memory, and a lexical part gives such a candidate its lowest score);</li>
 * <li>{@code prf}: Vector-PRF, Rocchio on the dense query with the top feedback documents (Li et al. 2022,
 *     "Pseudo Relevance Feedback with Deep Language Models and Dense Retrievers"), combined with the lexical
 *     part in the three arms of "To Interpolate or not to Interpolate: PRF, Dense and Sparse Retrievers"
 *     (Li et al., SIGIR 2022): {@code before} interpolates before PRF only (feedback from the interpolated
 *     first-stage run; the PRF dense run is the answer); {@code after} interpolates after PRF only
 *     (feedback from the dense run; the PRF dense run is interpolated with the lexical run);
 *     {@code both} interpolates before and after (feedback from the interpolated run, and the PRF run
 *     interpolated again; the paper's best arm). One feedback round in every arm. With alpha 1 (all weight
 *     on the dense part) every arm is plain dense Vector-PRF and the lexical part is not run.</li>
 * </ul>
 * The index must have been built with the same model and attention plan; {@link #checkProvenance} checks it.
 */
public final class Searcher {
    private final RetrievalIndex index;
    private final SentenceEncoder encoder;   // null: only bm25 can run
    private final Parallel par;
    private final SparseFeatureEncoder sae;  // null: no sae mode
    private final String[] vocab;            // names of the sparse field's terms: WordPiece tokens or analysed words
    private final float[] idf;               // [V]
    private final WordTerms words;           // non-null when the sparse terms are analysed words

    public Searcher(RetrievalIndex index, SentenceEncoder encoder, Parallel par, SparseFeatureEncoder sae) {
        this.index = index;
        this.encoder = encoder;
        this.par = par;
        this.sae = sae;
        if (encoder != null && encoder.tokenizer() instanceof WordPieceTokenizer wp && index.info().termDf().length > 0) {
            vocab = index.info().sparseWords() ? index.info().sparseTerms() : wp.vocabulary();
            words = index.info().sparseWords() ? new WordTerms() : null;
            int[] df = index.info().termDf();
            if (words != null && df.length != vocab.length) {
                throw new LacunaException(index.path() + ": " + IndexInfo.FILE + " has " + vocab.length + " sparse terms but " + df.length + " document frequencies (corrupt index description)");
            }
            if (df.length != vocab.length) {
                throw new LacunaException(index.path() + ": indexed with a vocabulary of " + df.length + " tokens, the model has " + vocab.length);
            }
            idf = new float[df.length];
            for (int v = 0; v < df.length; v++) idf[v] = ContextualTermWeights.idf(df[v], index.size());
        } else {
            vocab = null;
            idf = null;
            words = null;
        }
    }

    /** Refuses a model or attention plan other than the index's (queries and documents must share the encoder). */
    public static void checkProvenance(IndexInfo info, String model, String attention, java.nio.file.Path where) {
        if (info.model() == null) return;
        if (!info.model().equals(model) || !java.util.Objects.equals(info.attention(), attention)) {
            throw new LacunaException(where + ": built with --model " + info.model()
                    + (info.attention() == null ? "" : " --attention " + info.attention()) + ", but this run uses --model " + model
                    + (attention == null ? "" : " --attention " + attention) + " (use the same, or rebuild the index)");
        }
    }

    public RetrievalIndex index() {
        return index;
    }

    /** Runs one query. */
    public Ranking search(String query, SearchOptions o) {
        return search(requireText(query), needsVector(o) ? embed(query) : null, o);
    }

    /** An empty query would rank documents on nothing: a dense query embeds [CLS] [SEP] alone. */
    private static String requireText(String query) {
        if (query.isBlank()) throw new LacunaException("empty query: there is nothing to search for");
        return query;
    }

    /** Whether a mode embeds the query (sparse and bm25 never run the model). */
    public static boolean needsVector(SearchOptions o) {
        return switch (o.mode()) {
            case BM25, SPARSE -> false;
            case HYBRID -> needsVector(o.parts());
            default -> true;
        };
    }

    /** Runs one query whose embedding {@code q} [C] is already known (null when the mode needs none). */
    public Ranking search(String query, float[] q, SearchOptions o) {
        requireText(query);
        return switch (o.mode()) {
            case BM25 -> index.bm25(query, o.depth());
            case SPARSE -> sparse(query, o.depth());
            case DENSE -> index.denseHnsw(q, o.depth(), o.ef());
            case DENSE_EXACT -> index.denseExact(q, o.depth());
            case SAE -> saeSearch(q, o.depth());
            case HYBRID -> fuse(part(o.parts().get(0), query, q, o), part(o.parts().get(1), query, q, o), o, q);
            case PRF -> prf(query, q, o);
        };
    }

    /**
     * The inference-free query: its terms, each weighted by count x IDF; no model runs. The terms are the
     * index's: WordPiece tokens, or the analysed words of the tokenizer's normalized text ({@link WordTerms}).
     */
    public Map<String, Float> sparseQuery(String query) {
        if (vocab == null) throw new LacunaException(index.path() + ": sparse search needs the model's WordPiece tokenizer and the index's term statistics");
        WordPieceTokenizer wp = (WordPieceTokenizer) encoder.tokenizer();
        Map<String, Float> w = new LinkedHashMap<>();
        if (words != null) {
            for (String t : words.query(wp, query)) {
                int id = java.util.Arrays.binarySearch(vocab, t);
                if (id >= 0 && index.info().termDf()[id] > 0) w.merge(t, idf[id], Float::sum);
            }
            return w;
        }
        for (int id : wp.encode(query).ids()) {
            if (wp.isSpecial(id) || index.info().termDf()[id] == 0) continue;
            w.merge(vocab[id], idf[id], Float::sum);
        }
        return w;
    }

    private Ranking sparse(String query, int depth) {
        return index.features(false, sparseQuery(query), depth);
    }

    private Ranking saeSearch(float[] q, int depth) {
        if (sae == null) throw new LacunaException("--mode sae needs an SAE (--sae DIR)");
        SparseVector v = sae.encode(q);
        Map<String, Float> w = new LinkedHashMap<>();
        for (int i = 0; i < v.size(); i++) w.put(Fields.saeFeature(v.ids()[i]), v.weights()[i]);
        return index.features(true, w, depth);
    }

    /** The L2-normalised query embedding [C]. */
    public float[] embed(String query) {
        if (encoder == null) throw new LacunaException("this mode needs the model (dense query embedding)");
        return encoder.embed(par, List.of(query), 1, null)[0];
    }

    private static boolean needsVector(List<String> parts) {
        for (String p : parts) if (isDense(p) || p.equals("sae")) return true;
        return false;
    }

    private static boolean isDense(String part) {
        return part.equals("dense") || part.equals("dense-exact");
    }

    private Ranking part(String name, String query, float[] q, SearchOptions o) {
        return switch (name) {
            case "bm25" -> index.bm25(query, o.depth());
            case "sparse" -> sparse(query, o.depth());
            case "sae" -> saeSearch(q, o.depth());
            case "dense" -> index.denseHnsw(q, o.depth(), o.ef());
            case "dense-exact" -> index.denseExact(q, o.depth());
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * (1 - alpha) norm(a) + alpha norm(b), each min-max normalised over its own results. A candidate one
     * part missed scores 0 there, except in a dense part, where its exact score is looked up.
     */
    private Ranking fuse(Ranking a, Ranking b, SearchOptions o, float[] q) {
        Ranking[] rs = {a, b};
        double[] w = {1 - o.alpha(), o.alpha()};
        double[] center = new double[2], scale = new double[2], floor = new double[2];
        Map<Integer, double[]> cand = new LinkedHashMap<>();
        for (int p = 0; p < 2; p++) {
            List<ScoredDoc> docs = rs[p].docs();
            double mx = Double.NEGATIVE_INFINITY, mn = Double.POSITIVE_INFINITY, sum = 0, sq = 0;
            for (ScoredDoc d : docs) {
                mx = Math.max(mx, d.score());
                mn = Math.min(mn, d.score());
                sum += d.score();
                sq += (double) d.score() * d.score();
            }
            if (o.norm() == SearchOptions.Norm.MINMAX) {
                center[p] = mn;
                scale[p] = mx - mn;
            } else if (o.norm() == SearchOptions.Norm.THEORETICAL) {
                center[p] = 0;
                scale[p] = isDense(o.parts().get(p)) ? 1 : mx;
            } else {
                int n = Math.max(1, docs.size());
                center[p] = sum / n;
                scale[p] = Math.sqrt(Math.max(0, sq / n - center[p] * center[p]));
            }
            floor[p] = scale[p] > 0 ? (mn - center[p]) / scale[p] : 0;   // a document this part did not return
            for (ScoredDoc d : docs) {
                double[] s = cand.computeIfAbsent(d.doc(), k -> new double[] {Double.NaN, Double.NaN});
                s[p] = scale[p] > 0 ? (d.score() - center[p]) / scale[p] : 1;
            }
        }
        List<ScoredDoc> out = new ArrayList<>(cand.size());
        for (var e : cand.entrySet()) {
            double[] s = e.getValue();
            for (int p = 0; p < 2; p++) {
                if (!Double.isNaN(s[p])) continue;
                // missed by part p: a dense part knows every document's score, a lexical one gives its floor
                s[p] = isDense(o.parts().get(p)) && scale[p] > 0
                        ? Math.max(floor[p], (index.denseScore(q, e.getKey()) - center[p]) / scale[p]) : floor[p];
            }
            out.add(new ScoredDoc(index.id(e.getKey()), e.getKey(), (float) (w[0] * s[0] + w[1] * s[1])));
        }
        out.sort((x, y) -> x.score() != y.score() ? Float.compare(y.score(), x.score()) : Integer.compare(x.doc(), y.doc()));
        return new Ranking(new ArrayList<>(out.subList(0, Math.min(o.depth(), out.size()))), a.postings() + b.postings());
    }

    private Ranking prf(String query, float[] q, SearchOptions o) {
        int di = isDense(o.parts().get(1)) ? 1 : isDense(o.parts().get(0)) ? 0 : -1;
        if (di < 0) throw new LacunaException("--mode prf needs a dense part in --parts (e.g. bm25,dense), got " + String.join(",", o.parts()));
        String denseName = o.parts().get(di);
        String lexName = o.parts().get(1 - di);
        double denseWeight = di == 1 ? o.alpha() : 1 - o.alpha();
        Ranking lex = denseWeight < 1 ? part(lexName, query, q, o) : new Ranking(List.of(), 0);
        long postings = lex.postings();
        Ranking dense = part(denseName, query, q, o);
        postings += dense.postings();
        SearchOptions.When w = o.when();
        // the first stage: feedback documents from the interpolated run (before, both) or the dense one (after)
        Ranking first = w == SearchOptions.When.AFTER ? dense : interpolate(lex, dense, di, o, q);
        float[] q1 = rocchio(q, first.docs(), o);
        Ranking prf = part(denseName, query, q1, o);
        postings += prf.postings();
        // the answer: the PRF dense run alone (before) or interpolated with the lexical run (after, both)
        Ranking cur = w == SearchOptions.When.BEFORE ? prf : interpolate(lex, prf, di, o, q1);
        return new Ranking(cur.docs(), postings);
    }

    private Ranking interpolate(Ranking lex, Ranking dense, int di, SearchOptions o, float[] q) {
        if (lex.docs().isEmpty() && (di == 1 ? o.alpha() : 1 - o.alpha()) >= 1) return dense;
        return di == 1 ? fuse(lex, dense, o, q) : fuse(dense, lex, o, q);
    }

    /** q' = (1 - beta) q + beta mean(top feedback documents' vectors), L2-normalised. */
    private float[] rocchio(float[] q, List<ScoredDoc> ranked, SearchOptions o) {
        int k = Math.min(o.feedbackDocs(), ranked.size());
        if (k == 0) return q;
        float[] out = new float[q.length];
        for (int j = 0; j < q.length; j++) out[j] = (float) ((1 - o.beta()) * q[j]);
        for (int i = 0; i < k; i++) {
            float[] v = index.vector(ranked.get(i).doc());
            for (int j = 0; j < q.length; j++) out[j] += (float) (o.beta() * v[j] / k);
        }
        Pooling.l2Normalize(out);
        return out;
    }
}
