// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.TestData;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.tokenizer.WordPieceTokenizer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Analysed words as sparse terms ({@link WordTerms}, {@link TermWeightHead.Analysis#WORDS}): the terms are
 * BM25's, each word's features are its pieces', and a head that gives every occurrence weight 1 turns the
 * sparse index into BM25 over the same words, checked against a brute-force BM25 written here.
 */
class WordTermsTest {
    static final int DOCS = 80;
    static final double K1 = 1.2, B = 0.75;
    static Path tmp;
    static LoadedModel model;
    static WordPieceTokenizer tok;
    static Parallel par;
    static BeirCollection subset;

    @BeforeAll
    static void load() throws IOException {
        tmp = Files.createTempDirectory("word-terms-test-");   // under target/ (surefire's java.io.tmpdir)
        BeirCollection all = new BeirReader(OnBadRecord.SKIP, s -> {}).read(TestData.shared().resolve("retrieval/cranfield"), "test");
        subset = new BeirCollection(all.dir(), all.documents().subList(0, DOCS), all.queries(), all.qrels(), List.of());
        model = ModelLoader.load("default");
        tok = (WordPieceTokenizer) model.encoder().tokenizer();
        par = new Parallel(2);
    }

    @AfterAll
    static void cleanup() throws IOException {
        par.close();
        try (Stream<Path> w = Files.walk(tmp)) {
            for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static List<String> lucene(String text) throws IOException {
        List<String> out = new ArrayList<>();
        Analyzer a = Fields.analyzer();
        try (TokenStream ts = a.tokenStream(Fields.TEXT, text)) {
            CharTermAttribute c = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) out.add(c.toString());
            ts.end();
        }
        return out;
    }

    /** On ASCII text a document's words are exactly what BM25's analyser makes of it, in order. */
    @Test
    void wordsAreBm25sAnalysis() throws IOException {
        WordTerms wt = new WordTerms();
        int checked = 0;
        for (BeirDocument d : subset.documents()) {
            String text = d.fullText();
            if (!text.chars().allMatch(ch -> ch < 128)) continue;
            WordTerms.Doc doc = wt.doc(tok.chunks(text));
            assertEquals(lucene(text), Arrays.asList(doc.terms()), d.id());
            checked++;
        }
        assertTrue(checked > DOCS / 2, "too few ASCII documents: " + checked);
        assertEquals(List.of("wing", "slipstream"), wt.query(tok, "The WINGS in a slipstream"));
        assertEquals(List.of(), wt.query(tok, "the of and"));
        // accents go as the model's normalizer takes them away, before the analysis
        assertEquals(List.of("naiv", "cafe"), wt.query(tok, "Naïve café"));
    }

    /**
     * A word's features are the means of cos(h, e) and h/|h| over its chunk's pieces; a word whose chunk
     * the window cut off gets the means over all the document's (non-special) tokens.
     */
    @Test
    void featuresAreMeansOverAWordsPieces() {
        WordPieceTokenizer t = tok.withMaxLength(12);
        String text = "Hypersonic boundary-layers, on flat plates: their transition and the heating of wings";
        WordPieceTokenizer.Chunks ch = t.chunks(text);
        assertTrue(ch.encoding().truncated());
        WordTerms.Doc doc = new WordTerms().doc(ch);
        int c = 5, len = ch.encoding().length(), start = 3;
        Random r = new Random(7);
        float[] hidden = new float[(start + len + 2) * c];
        for (int i = 0; i < hidden.length; i++) hidden[i] = (float) r.nextGaussian();
        float[] pooled = new float[c];
        double pn = 0;
        for (int j = 0; j < c; j++) pn += (pooled[j] = (float) r.nextGaussian()) * pooled[j];
        for (int j = 0; j < c; j++) pooled[j] /= (float) Math.sqrt(pn);
        int[] ids = new int[doc.length()];
        for (int i = 0; i < ids.length; i++) ids[i] = 100 + i;
        DocTokens f = WordTerms.features(doc, ids, ch.chunkOf(), hidden, start, len, c, pooled);
        assertEquals(doc.length(), f.length());
        assertArrayEquals(ids, f.ids());
        int cut = 0;
        for (int i = 0; i < doc.length(); i++) {
            List<Integer> rows = new ArrayList<>();
            for (int p = 0; p < len; p++) if (ch.chunkOf()[p] == doc.chunk()[i]) rows.add(p);
            if (rows.isEmpty()) {
                cut++;
                for (int p = 0; p < len; p++) if (ch.chunkOf()[p] >= 0) rows.add(p);
            }
            double cos = 0;
            double[] unit = new double[c];
            for (int p : rows) {
                double dot = 0, nn = 0;
                for (int j = 0; j < c; j++) {
                    double h = hidden[(start + p) * c + j];
                    dot += h * pooled[j];
                    nn += h * h;
                }
                cos += dot / Math.sqrt(nn) / rows.size();
                for (int j = 0; j < c; j++) unit[j] += hidden[(start + p) * c + j] / Math.sqrt(nn) / rows.size();
            }
            assertEquals(cos, f.cos()[i], 1e-6, doc.terms()[i]);
            for (int j = 0; j < c; j++) assertEquals(unit[j], f.unit()[i * c + j], 1e-6, doc.terms()[i]);
        }
        assertTrue(cut >= 3, "the window must cut words off for this test to check the fallback: " + cut);
    }

    /** θ with a = c = u = 0 and softplus(bias) = 10: every occurrence weighs 1, so tf is the word count. */
    static TermWeightHead countingHead(int width) {
        double[] theta = new double[width + TermWeightHead.U];
        theta[TermWeightHead.BIAS] = Math.log(Math.expm1(TermWeightHead.SCALE));
        return new TermWeightHead(theta, K1, B, TermWeightHead.Analysis.WORDS, "default", Map.of());
    }

    /** Brute-force BM25 over the analysed words: idf(t) (k1 + 1) tf / (tf + k1 (1 - b + b len / avglen)). */
    static Map<String, Double> bm25(List<List<String>> docs, List<String> query) {
        Map<String, Integer> df = new HashMap<>();
        double avg = 0;
        for (List<String> d : docs) {
            avg += d.size();
            for (String t : new java.util.HashSet<>(d)) df.merge(t, 1, Integer::sum);
        }
        avg /= docs.size();
        Map<String, Double> score = new TreeMap<>();
        for (int i = 0; i < docs.size(); i++) {
            List<String> d = docs.get(i);
            double s = 0;
            for (String q : query) {
                long tf = d.stream().filter(q::equals).count();
                if (tf == 0) continue;
                double idf = Math.log1p((docs.size() - df.get(q) + 0.5) / (df.get(q) + 0.5));
                s += idf * (K1 + 1) * tf / (tf + K1 * (1 - B + B * d.size() / avg));
            }
            if (s > 0) score.put(subset.documents().get(i).id(), s);
        }
        return score;
    }

    /**
     * An index built with the counting head ranks every query as the brute-force BM25 over its words: the
     * same scores (to FeatureField's 9 significant bits) and the same top 10 up to near-ties. The documents
     * are embedded for real; words past the model's window count as every other word does.
     */
    @Test
    void aCountingHeadMakesTheSparseIndexBm25OverWords() throws IOException {
        Path headFile = tmp.resolve("counting-head.json");
        countingHead(model.encoder().model().config().hiddenSize()).write(headFile);
        Path dir = tmp.resolve("words-index");
        IndexBuilder.Settings s = new IndexBuilder.Settings(List.of("bm25", "sparse"), 16, 100, new ContextualTermWeights.Settings(1.0, 100_000, K1, B), 16);
        IndexInfo info = IndexBuilder.build(subset, new IndexBuilder.Encoder(model.encoder(), "default", "test", null, par), null, s,
                new IndexBuilder.SparseWeights.Head(TermWeightHead.read(headFile), headFile), dir, false);
        assertTrue(info.sparseWords());
        WordTerms wt = new WordTerms();
        List<List<String>> docs = new ArrayList<>();
        for (BeirDocument d : subset.documents()) docs.add(Arrays.asList(wt.doc(tok.chunks(d.fullText())).terms()));
        String[] sorted = docs.stream().flatMap(List::stream).distinct().sorted().toArray(String[]::new);
        assertArrayEquals(sorted, info.sparseTerms());

        int compared = 0;
        try (RetrievalIndex idx = RetrievalIndex.open(dir)) {
            Searcher searcher = new Searcher(idx, model.encoder(), par, null);
            Map<String, Float> qw = searcher.sparseQuery("Wings and the wing in a slipstream");
            assertEquals(List.of("wing", "slipstream"), List.copyOf(qw.keySet()));
            assertEquals(2 * ContextualTermWeights.idf(idx.featureDocFreq(false, "wing"), DOCS), qw.get("wing"), 1e-6);
            for (var q : subset.queries().subList(0, 40)) {
                Map<String, Double> want = bm25(docs, wt.query(tok, q.text()));
                if (want.isEmpty()) continue;
                Ranking got = searcher.search(q.text(), SearchOptions.defaults(SearchOptions.Mode.SPARSE).withDepth(10));
                assertEquals(Math.min(10, want.size()), got.docs().size(), q.text());
                double last = Double.MAX_VALUE;
                for (ScoredDoc d : got.docs()) {
                    double w = want.get(d.id());
                    assertEquals(w, d.score(), 0.005 * w + 1e-6, q.text() + " / " + d.id());
                    last = Math.min(last, w);
                }
                // nothing brute force ranks clearly above the 10th is missing
                List<String> ids = got.docs().stream().map(ScoredDoc::id).toList();
                for (var e : want.entrySet()) {
                    if (e.getValue() > last * 1.01 + 1e-6) assertTrue(ids.contains(e.getKey()), q.text() + ": missing " + e.getKey());
                }
                compared++;
            }
        }
        assertTrue(compared >= 30, "too few queries compared: " + compared);
        assertFalse(Files.exists(tmp.resolve("words-index.tmp")));
    }
}
