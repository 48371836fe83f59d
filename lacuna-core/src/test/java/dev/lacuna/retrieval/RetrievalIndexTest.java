// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.TestData;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real on-disk index over the first 60 Cranfield documents, embedded with the default model. */
class RetrievalIndexTest {
    static final int DOCS = 60;
    static Path tmp;
    static Path indexDir;
    static LoadedModel model;
    static Parallel par;
    static BeirCollection subset;
    static final List<String> QUERIES = List.of("boundary layer transition on a flat plate", "heat transfer in hypersonic flow",
            "slipstream effect on wing lift", "buckling of cylindrical shells under pressure", "shock wave interaction");

    /**
     * Stands in for an SAE (the real one lives in another package): the 16 largest positive coordinates of
     * the embedding are the active latents.
     */
    static final SparseFeatureEncoder TOY_SAE = new SparseFeatureEncoder() {
        public String describe() {
            return "top-16 coordinates (test)";
        }

        public int inputDim() {
            return 384;
        }

        public int features() {
            return 384;
        }

        public SparseVector encode(float[] e) {
            Integer[] order = new Integer[e.length];
            for (int i = 0; i < e.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (x, y) -> Float.compare(e[y], e[x]));
            int k = 0;
            while (k < 16 && e[order[k]] > 0) k++;
            int[] ids = new int[k];
            float[] w = new float[k];
            for (int i = 0; i < k; i++) {
                ids[i] = order[i];
                w[i] = e[order[i]];
            }
            return new SparseVector(ids, w);
        }
    };

    @BeforeAll
    static void build() throws IOException {
        tmp = Files.createTempDirectory("retrieval-test-");   // under target/ (surefire's java.io.tmpdir)
        BeirCollection all = new BeirReader(OnBadRecord.SKIP, s -> {}).read(TestData.shared().resolve("retrieval/cranfield"), "test");
        subset = new BeirCollection(all.dir(), all.documents().subList(0, DOCS), all.queries(), all.qrels(), List.of());
        model = ModelLoader.load("default");
        par = new Parallel(2);
        indexDir = tmp.resolve("index");
        IndexBuilder.Settings s = new IndexBuilder.Settings(List.of("bm25", "dense", "sparse", "sae"), 16, 100, ContextualTermWeights.Settings.DEFAULT, 16);
        IndexBuilder.build(subset, new IndexBuilder.Encoder(model.encoder(), "default", "test", null, par), TOY_SAE, s, indexDir, false);
    }

    @AfterAll
    static void cleanup() throws IOException {
        par.close();
        try (Stream<Path> w = Files.walk(tmp)) {
            for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static List<SearchOptions> modes() {
        List<SearchOptions> out = new ArrayList<>();
        for (SearchOptions.Mode m : List.of(SearchOptions.Mode.BM25, SearchOptions.Mode.DENSE, SearchOptions.Mode.DENSE_EXACT,
                SearchOptions.Mode.SPARSE, SearchOptions.Mode.SAE, SearchOptions.Mode.HYBRID, SearchOptions.Mode.PRF)) {
            out.add(SearchOptions.defaults(m).withDepth(20));
        }
        return out;
    }

    private static List<List<ScoredDoc>> searchAll(RetrievalIndex idx) {
        Searcher s = new Searcher(idx, model.encoder(), par, TOY_SAE);
        List<List<ScoredDoc>> out = new ArrayList<>();
        for (SearchOptions o : modes()) for (String q : QUERIES) out.add(s.search(q, o).docs());
        return out;
    }

    @Test
    void reopeningGivesIdenticalResults() {
        List<List<ScoredDoc>> first;
        try (RetrievalIndex idx = RetrievalIndex.open(indexDir)) {
            first = searchAll(idx);
        }
        List<List<ScoredDoc>> again;
        try (RetrievalIndex idx = RetrievalIndex.open(indexDir)) {
            again = searchAll(idx);
        }
        // The index gives back the same documents in the same order. Scores of the modes that embed
        // the query may differ in the last float bits: the query encoder's Vector API reductions are
        // ordered differently before and after the JIT compiles them.
        assertEquals(first.size(), again.size());
        for (int i = 0; i < first.size(); i++) {
            List<ScoredDoc> a = first.get(i), b = again.get(i);
            assertEquals(a.stream().map(ScoredDoc::id).toList(), b.stream().map(ScoredDoc::id).toList(), "ranking " + i);
            for (int j = 0; j < a.size(); j++) {
                assertEquals(a.get(j).score(), b.get(j).score(), 1e-4 * Math.max(1, Math.abs(a.get(j).score())), "score " + i + "/" + j);
            }
        }
        for (List<ScoredDoc> r : first) assertFalse(r.isEmpty());
    }

    /**
     * The three PRF arms of "To Interpolate or not to Interpolate" (issue 18), against a plain rebuild from
     * the index's parts: feedback from the interpolated first stage (before, both) or the dense one (after),
     * one Rocchio round, and the PRF dense run as the answer (before) or interpolated again (after, both).
     * The interpolation reference is the hybrid mode run on the given query vector.
     */
    @Test
    void prfArmsAreThePapersBeforeAfterAndBoth() {
        try (RetrievalIndex idx = RetrievalIndex.open(indexDir)) {
            Searcher s = new Searcher(idx, model.encoder(), par, null);
            List<String> parts = List.of("bm25", "dense-exact");
            int depth = 20, fb = 3;
            double alpha = 0.5, beta = 0.5;
            SearchOptions hybrid = new SearchOptions(SearchOptions.Mode.HYBRID, depth, 100, alpha, parts, fb, SearchOptions.When.BOTH, beta,
                    SearchOptions.Norm.ZSCORE);
            int differing = 0;
            for (String query : QUERIES) {
                float[] q = s.embed(query);
                List<List<String>> arms = new ArrayList<>();
                for (SearchOptions.When w : SearchOptions.When.values()) {
                    SearchOptions o = new SearchOptions(SearchOptions.Mode.PRF, depth, 100, alpha, parts, fb, w, beta, SearchOptions.Norm.ZSCORE);
                    List<ScoredDoc> first = w == SearchOptions.When.AFTER ? idx.denseExact(q, depth).docs() : s.search(query, q, hybrid).docs();
                    float[] q1 = new float[q.length];
                    for (int j = 0; j < q.length; j++) q1[j] = (float) ((1 - beta) * q[j]);
                    for (int i = 0; i < fb; i++) {
                        float[] v = idx.vector(first.get(i).doc());
                        for (int j = 0; j < q.length; j++) q1[j] += (float) (beta * v[j] / fb);
                    }
                    dev.lacuna.model.Pooling.l2Normalize(q1);
                    List<ScoredDoc> want = w == SearchOptions.When.BEFORE ? idx.denseExact(q1, depth).docs() : s.search(query, q1, hybrid).docs();
                    List<ScoredDoc> got = s.search(query, q, o).docs();
                    assertEquals(want.stream().map(ScoredDoc::id).toList(), got.stream().map(ScoredDoc::id).toList(), w + ": " + query);
                    for (int i = 0; i < want.size(); i++) assertEquals(want.get(i).score(), got.get(i).score(), 1e-6, w + ": " + query);
                    arms.add(got.stream().map(ScoredDoc::id).toList());
                }
                if (!arms.get(0).equals(arms.get(1)) || !arms.get(1).equals(arms.get(2))) differing++;
            }
            assertTrue(differing >= 3, "the arms must rank differently on most queries, else this test tells them apart on none: " + differing);
        }
    }

    @Test
    void anEmptyQueryIsAnErrorInEveryMode() {
        // issue 16, finding 7
        try (RetrievalIndex idx = RetrievalIndex.open(indexDir)) {
            Searcher s = new Searcher(idx, model.encoder(), par, TOY_SAE);
            for (SearchOptions o : modes()) {
                for (String q : new String[] {"", " \n\t"}) {
                    LacunaException e = assertThrows(LacunaException.class, () -> s.search(q, o), o.describe());
                    assertEquals("empty query: there is nothing to search for", e.getMessage());
                }
            }
        }
    }

    @Test
    void indexIsWrittenAtomicallyWithItsProvenance() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(indexDir), s.toList(), "no temporary sibling may be left behind");
        }
        IndexInfo info = IndexInfo.read(indexDir);
        assertEquals(DOCS, info.documents());
        assertEquals(384, info.dim());
        assertEquals("default", info.model());
        assertEquals(List.of("bm25", "dense", "sparse", "sae"), info.kinds());
        assertEquals("top-16 coordinates (test)", info.sae());
        assertEquals(dev.lacuna.Version.get(), info.lacunaVersion());
        // an index of a later format (with fields this build does not know) is refused in one line naming its writer
        Path later = Files.createTempDirectory("later-index-");   // not in tmp: the listing above must stay the index alone
        String json = Files.readString(indexDir.resolve(IndexInfo.FILE));
        Files.writeString(later.resolve(IndexInfo.FILE), json.replace("\"formatVersion\" : 1", "\"formatVersion\" : 2, \"newField\" : true")
                .replace("\"lacunaVersion\" : \"" + info.lacunaVersion() + "\"", "\"lacunaVersion\" : \"9.0.0\""));
        String e = assertThrows(dev.lacuna.LacunaException.class, () -> IndexInfo.read(later)).getMessage();
        assertEquals(later.resolve(IndexInfo.FILE) + ": index format 2, written by Lacuna 9.0.0; this Lacuna (" + dev.lacuna.Version.get()
                + ") reads 1 (use the Lacuna that wrote it, or rebuild the index)", e);
    }

    @Test
    void exactDenseFindsADocumentFromItsOwnTextAndHnswAgrees() {
        try (RetrievalIndex idx = RetrievalIndex.open(indexDir)) {
            Searcher s = new Searcher(idx, model.encoder(), par, null);
            BeirDocument d = subset.documents().get(17);
            float[] q = s.embed(d.fullText());
            Ranking exact = idx.denseExact(q, 10);
            assertEquals(d.id(), exact.docs().get(0).id());
            assertEquals(1.0, exact.docs().get(0).score(), 1e-4);
            assertEquals(DOCS, exact.postings());
            Ranking hnsw = idx.denseHnsw(q, 10, 100);
            assertEquals(exact.docs().stream().map(ScoredDoc::id).toList(), hnsw.docs().stream().map(ScoredDoc::id).toList());
            // scores come back best first
            for (int i = 1; i < exact.docs().size(); i++) assertTrue(exact.docs().get(i - 1).score() >= exact.docs().get(i).score());
        }
    }

    @Test
    void sparseQueriesAreTokensWeightedByIdfAndScoreSharedTermsOnly() {
        try (RetrievalIndex idx = RetrievalIndex.open(indexDir)) {
            Searcher s = new Searcher(idx, model.encoder(), par, null);
            Map<String, Float> q = s.sparseQuery("slipstream wing the");
            assertTrue(q.containsKey("wing"), q.toString());
            assertTrue(q.get("wing") > q.getOrDefault("the", 0f), "a frequent token weighs less: " + q);
            Ranking r = s.search("slipstream", SearchOptions.defaults(SearchOptions.Mode.SPARSE).withDepth(100));
            long postings = 0;
            for (String t : s.sparseQuery("slipstream").keySet()) postings += idx.featureDocFreq(false, t);
            assertEquals(postings, r.postings());
            // results are the union of the features' postings: no document outside them
            assertTrue(r.docs().size() > 0 && r.docs().size() <= postings && r.docs().size() < DOCS, r.docs().size() + " of " + postings);
        }
    }

    @Test
    void saeFeaturesScoreAsTheDotProductOfTheSparseCodes() {
        try (RetrievalIndex idx = RetrievalIndex.open(indexDir)) {
            Searcher s = new Searcher(idx, model.encoder(), par, TOY_SAE);
            String q = "pressure distribution on a swept wing";
            SparseVector qv = TOY_SAE.encode(s.embed(q));
            Ranking r = s.search(q, SearchOptions.defaults(SearchOptions.Mode.SAE).withDepth(5));
            assertEquals(5, r.docs().size());
            for (ScoredDoc d : r.docs()) {
                SparseVector dv = idx.storedSparse(d.doc(), true);
                double dot = 0;
                for (int i = 0; i < qv.size(); i++) for (int j = 0; j < dv.size(); j++) if (qv.ids()[i] == dv.ids()[j]) dot += qv.weights()[i] * dv.weights()[j];
                // FeatureField keeps 9 significant bits of each document weight: 0.4% relative error
                assertEquals(dot, d.score(), 0.005 * dot + 1e-6, d.id());
            }
        }
    }

    @Test
    void bulkExportsHaveTheDocumentedShape() throws IOException {
        ObjectMapper om = new ObjectMapper();
        String[] vocab = ((WordPieceTokenizer) model.encoder().tokenizer()).vocabulary();
        try (RetrievalIndex idx = RetrievalIndex.open(indexDir)) {
            for (BulkExporter.Target t : BulkExporter.Target.values()) {
                StringWriter w = new StringWriter();
                BulkExporter.Summary sum = BulkExporter.write(idx, t, "cran", vocab, w);
                String[] lines = w.toString().split("\n", -1);
                assertEquals(2 * DOCS + 1, lines.length, "action + source per document, newline-terminated");
                assertEquals("", lines[2 * DOCS]);
                for (int d = 0; d < DOCS; d++) {
                    JsonNode action = om.readTree(lines[2 * d]);
                    assertEquals("cran", action.path("index").path("_index").asText());
                    assertEquals(subset.documents().get(d).id(), action.path("index").path("_id").asText());
                    JsonNode src = om.readTree(lines[2 * d + 1]);
                    assertEquals(384, src.path("dense").size());
                    assertTrue(src.path("dense").get(0).isNumber());
                    assertTrue(src.path("sae").isObject() && src.path("sae").size() > 0, "SAE latents as a second sparse field");
                    JsonNode sp = src.path("sparse");
                    assertTrue(sp.isObject() && sp.size() > 0);
                    for (Iterator<Map.Entry<String, JsonNode>> it = sp.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        assertFalse(e.getKey().contains("."), e.getKey());
                        assertTrue(e.getValue().isNumber() && e.getValue().floatValue() > 0);
                    }
                }
                assertEquals(sum.documents(), DOCS);
                JsonNode map = om.readTree(BulkExporter.mapping(idx.info(), t)).path("mappings").path("properties");
                if (t == BulkExporter.Target.OPENSEARCH) {
                    assertEquals("rank_features", map.path("sparse").path("type").asText());
                    assertEquals("knn_vector", map.path("dense").path("type").asText());
                    assertEquals("rank_features", map.path("sae").path("type").asText());
                    assertEquals(384, map.path("dense").path("dimension").asInt());
                    assertTrue(om.readTree(BulkExporter.mapping(idx.info(), t)).path("settings").path("index").path("knn").asBoolean());
                } else {
                    assertEquals("sparse_vector", map.path("sparse").path("type").asText());
                    assertEquals("dense_vector", map.path("dense").path("type").asText());
                    assertEquals(384, map.path("dense").path("dims").asInt());
                    assertEquals("dot_product", map.path("dense").path("similarity").asText());
                }
            }
        }
    }
}
