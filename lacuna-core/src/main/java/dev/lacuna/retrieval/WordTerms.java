// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.tokenizer.WordPieceTokenizer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Analysed words as the terms of inference-free sparse retrieval ({@link TermWeightHead.Analysis#WORDS}): the
 * terms BM25 indexes (Lucene's English analysis: standard tokenizer, stop words, possessives, Porter stems),
 * found in the model tokenizer's normalized text ({@link WordPieceTokenizer#chunks}: lower case, accents
 * stripped), one whitespace-delimited chunk at a time. A document's analysed terms are tied to the WordPiece
 * tokens of their chunk, so the encoder's token states can weigh them ({@link #features}); a query is
 * analysed the same way and never runs the model. This is the DeepCT idea (contextual weights for a document's
 * own words, scored as BM25 scores) trained with the losses of the inference-free retrievers: the WordPiece
 * vocabulary alone costs 0.05 nDCG@10 against BM25's words on cranfield (docs/BENCHMARKS.md), and without an
 * MLM head the document side cannot expand into other WordPiece tokens anyway.
 *
 * <p>Shapes: V corpus terms (ascending), m analysed terms of one document, C hidden width.
 */
public final class WordTerms {
    private final Analyzer analyzer = Fields.analyzer();
    private final Map<String, String[]> cache = new java.util.concurrent.ConcurrentHashMap<>();   // thread-safe, as Lucene's Analyzer is

    /**
     * One document's analysed terms in order, each tied to a chunk of its text.
     *
     * @param terms [m] analysed terms
     * @param chunk [m] chunk of each ({@link WordPieceTokenizer.Chunks#chunks()})
     */
    public record Doc(String[] terms, int[] chunk) {
        public int length() {
            return terms.length;
        }
    }

    /** The analysed terms of one chunk (none for a stop word); cached, since chunks repeat. */
    public String[] analyse(String chunk) {
        String[] t = cache.get(chunk);
        if (t != null) return t;
        List<String> out = new ArrayList<>(2);
        try (TokenStream ts = analyzer.tokenStream(Fields.TEXT, chunk)) {
            CharTermAttribute c = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) out.add(c.toString());
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        t = out.toArray(String[]::new);
        if (cache.size() < 1 << 20) cache.put(chunk, t);
        return t;
    }

    public Doc doc(WordPieceTokenizer.Chunks c) {
        List<String> terms = new ArrayList<>();
        List<Integer> chunk = new ArrayList<>();
        String[] chunks = c.chunks();
        for (int k = 0; k < chunks.length; k++) {
            for (String t : analyse(chunks[k])) {
                terms.add(t);
                chunk.add(k);
            }
        }
        return new Doc(terms.toArray(String[]::new), chunk.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A query's analysed terms (with repeats), from the tokenizer's normalization only: no model runs. */
    public List<String> query(WordPieceTokenizer tok, String text) {
        List<String> out = new ArrayList<>();
        for (String ch : tok.chunks(text).chunks()) out.addAll(Arrays.asList(analyse(ch)));
        return out;
    }

    /**
     * A corpus's term dictionary.
     *
     * @param terms [V] distinct analysed terms, ascending
     * @param df    [V] number of documents containing each
     */
    public record Vocabulary(String[] terms, int[] df) {
        /** Index of {@code term}, -1 when no document has it. */
        public int id(String term) {
            int k = Arrays.binarySearch(terms, term);
            return k >= 0 ? k : -1;
        }

        public int[] ids(Doc d) {
            int[] out = new int[d.length()];
            for (int i = 0; i < out.length; i++) out[i] = id(d.terms()[i]);
            return out;
        }

        public float[] idf(int documents) {
            float[] idf = new float[df.length];
            for (int v = 0; v < df.length; v++) idf[v] = ContextualTermWeights.idf(df[v], documents);
            return idf;
        }
    }

    public static Vocabulary vocabulary(Doc[] docs) {
        TreeSet<String> all = new TreeSet<>();
        for (Doc d : docs) all.addAll(Arrays.asList(d.terms()));
        String[] terms = all.toArray(String[]::new);
        int[] df = new int[terms.length];
        for (Doc d : docs) {
            int[] ids = Arrays.stream(d.terms()).distinct().mapToInt(t -> Arrays.binarySearch(terms, t)).toArray();
            for (int id : ids) df[id]++;
        }
        return new Vocabulary(terms, df);
    }

    /**
     * The dictionary of several disjoint slices of a corpus (Spark's partitions): the union of their terms,
     * ascending, with document frequencies summed.
     */
    public static Vocabulary merge(List<Vocabulary> parts) {
        TreeSet<String> all = new TreeSet<>();
        for (Vocabulary v : parts) all.addAll(Arrays.asList(v.terms()));
        String[] terms = all.toArray(String[]::new);
        int[] df = new int[terms.length];
        for (Vocabulary v : parts) {
            for (int i = 0; i < v.terms().length; i++) df[Arrays.binarySearch(terms, v.terms()[i])] += v.df()[i];
        }
        return new Vocabulary(terms, df);
    }

    /**
     * One document's weights by the untrained formula over words (the initial head: s = smooth max(0, cos)),
     * as {@code lacuna index} computes them without a trained head.
     *
     * @param ids     [m] corpus vocabulary ids of the document's terms
     * @param chunkOf [T_doc] chunk of each of the document's tokens
     * @param hidden  last hidden state [T_batch, C]; the document is rows [start, start + len)
     * @param pooled  the document's L2-normalised embedding [C]
     * @param idf     [V] corpus IDF per vocabulary id
     */
    public static SparseVector formula(Doc d, int[] ids, int[] chunkOf, float[] hidden, int start, int len, int c, float[] pooled,
                                       float[] idf, double avgLen, ContextualTermWeights.Settings s) {
        TermWeightHead head = TermWeightHead.initial(c, s.k1(), s.b(), TermWeightHead.Analysis.WORDS);
        return head.weigh(features(d, ids, chunkOf, hidden, start, len, c, pooled), idf, avgLen, s, null);
    }

    /**
     * A document's features for the head, one row per analysed term: the mean of cos(h_i, e) and of
     * h_i/|h_i| over the WordPiece tokens of its chunk. A term whose chunk lies past the model's window
     * (the text was truncated) gets the mean over all the document's tokens: a model-free stand-in, so
     * every word still counts, as BM25 counts it. The length is the number of analysed terms, as Lucene's.
     *
     * @param ids     [m] vocabulary ids of the document's terms ({@link Vocabulary#ids})
     * @param chunkOf [T_doc] chunk of each of the document's tokens ({@link WordPieceTokenizer.Chunks#chunkOf()}), -1 for special ones
     * @param hidden  last hidden state [T_batch, C]; the document is rows [start, start + len)
     * @param pooled  the document's L2-normalised embedding [C]
     */
    static DocTokens features(Doc d, int[] ids, int[] chunkOf, float[] hidden, int start, int len, int c, float[] pooled) {
        int chunks = 0;
        for (int k : d.chunk()) chunks = Math.max(chunks, k + 1);
        for (int k : chunkOf) chunks = Math.max(chunks, k + 1);
        double[] cosSum = new double[chunks];
        double[] unitSum = new double[chunks * c];
        int[] count = new int[chunks];
        double allCos = 0;
        double[] allUnit = new double[c];
        int all = 0;
        for (int t = 0; t < len; t++) {
            int k = chunkOf[t];
            if (k < 0) continue;
            int o = (start + t) * c;
            double dot = 0, norm = 0;
            for (int j = 0; j < c; j++) {
                float h = hidden[o + j];
                dot += h * pooled[j];
                norm += h * h;
            }
            double r = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            double cos = dot * r;
            cosSum[k] += cos;
            allCos += cos;
            for (int j = 0; j < c; j++) {
                double u = hidden[o + j] * r;
                unitSum[k * c + j] += u;
                allUnit[j] += u;
            }
            count[k]++;
            all++;
        }
        int m = d.length();
        float[] cos = new float[m];
        float[] unit = new float[m * c];
        for (int i = 0; i < m; i++) {
            int k = d.chunk()[i];
            if (count[k] > 0) {
                cos[i] = (float) (cosSum[k] / count[k]);
                for (int j = 0; j < c; j++) unit[i * c + j] = (float) (unitSum[k * c + j] / count[k]);
            } else if (all > 0) {
                cos[i] = (float) (allCos / all);
                for (int j = 0; j < c; j++) unit[i * c + j] = (float) (allUnit[j] / all);
            }
        }
        return new DocTokens(ids.clone(), cos, unit, c, m);
    }
}
