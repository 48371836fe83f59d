// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.langchain4j;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.ModelIdentity;
import dev.lacuna.cli.Main;
import dev.lacuna.load.ModelFingerprint;
import dev.lacuna.load.ModelLoader;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter against langchain4j's own in-process model and store, on real STS-B sentences. */
class LacunaEmbeddingModelTest {
    static LacunaEmbeddingModel lacuna;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        lacuna = LacunaEmbeddingModel.builder().threads(2).batchSize(16).build();
    }

    @AfterAll
    static void close() {
        lacuna.close();
    }

    /** Rows of STS-B dev: sentence 1, sentence 2, score (the CSV has no quoting in these rows' fields we use). */
    static List<String[]> stsb(int n) throws IOException {
        Path p = Path.of(System.getProperty("lacuna.shared.data", "../../shared/data"), "stsb", "stsb-en-dev.csv");
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.indexOf('"') >= 0) continue;   // quoted fields hold commas: skip them rather than parse CSV here
            String[] f = line.split(",");
            if (f.length != 3) continue;
            rows.add(f);
            if (rows.size() == n) break;
        }
        return rows;
    }

    static List<TextSegment> segments(List<String> texts) {
        return texts.stream().map(TextSegment::from).toList();
    }

    static double cosine(float[] a, float[] b) {
        double d = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return d / Math.sqrt(na * nb);
    }

    @Test
    void matchesLangchain4jsOwnAllMiniLmL6V2OnStsbSentences() throws IOException {
        Set<String> unique = new LinkedHashSet<>();
        for (String[] r : stsb(150)) {
            unique.add(r[0]);
            unique.add(r[1]);
        }
        List<TextSegment> segs = segments(new ArrayList<>(unique));
        List<Embedding> ours = lacuna.embedAll(segs).content();
        EmbeddingModel theirs = new AllMiniLmL6V2EmbeddingModel();
        List<Embedding> ref = theirs.embedAll(segs).content();
        assertEquals(segs.size(), ours.size());
        double min = 1;
        for (int i = 0; i < segs.size(); i++) min = Math.min(min, cosine(ours.get(i).vector(), ref.get(i).vector()));
        assertTrue(segs.size() >= 250, "sentences: " + segs.size());
        assertTrue(min >= 0.9999, "min cosine to langchain4j's AllMiniLmL6V2EmbeddingModel over " + segs.size() + " sentences: " + min);
        assertEquals(theirs.dimension(), lacuna.dimension());
    }

    @Test
    void dimensionAndNameNeedNoForwardPass() {
        assertEquals(384, lacuna.dimension());
        assertEquals("default", lacuna.modelName());
        assertEquals(256, lacuna.maxTokens());
        Response<Embedding> one = lacuna.embed("A man is playing a guitar.");
        assertEquals(384, one.content().dimension());
        assertTrue(one.tokenUsage().inputTokenCount() > 2);
        float[] v = one.content().vector();
        double n = 0;
        for (float x : v) n += x * x;
        assertEquals(1.0, n, 1e-5, "L2-normalised");
        assertTrue(lacuna.embedAll(List.of()).content().isEmpty());
    }

    /**
     * Ingest STS-B second sentences through langchain4j's ingestor into its in-memory store; the store's
     * nearest neighbours of each first sentence are exactly a brute-force cosine ranking over the same
     * embeddings, and for the pairs rated 5.0 (same meaning) the partner is among the first five.
     */
    @Test
    void roundTripThroughEmbeddingStoreIngestorAndInMemoryStore() throws IOException {
        List<String[]> rows = stsb(400);
        List<String> docs = new ArrayList<>();
        for (String[] r : rows) if (!docs.contains(r[1])) docs.add(r[1]);
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        EmbeddingStoreIngestor.builder().embeddingModel(lacuna).embeddingStore(store).build()
                .ingest(docs.stream().map(d -> Document.from(d, Metadata.from("id", String.valueOf(docs.indexOf(d))))).toList());
        List<Embedding> docVecs = lacuna.embedAll(segments(docs)).content();
        int exact = 0, asked = 0, top1 = 0, top5 = 0;
        for (String[] r : rows) {
            Embedding q = lacuna.embed(r[0]).content();
            List<EmbeddingMatch<TextSegment>> hits = store.search(EmbeddingSearchRequest.builder().queryEmbedding(q).maxResults(5).build()).matches();
            // brute force: every document's cosine, best five
            Integer[] order = new Integer[docs.size()];
            double[] s = new double[docs.size()];
            for (int d = 0; d < docs.size(); d++) {
                order[d] = d;
                s[d] = cosine(q.vector(), docVecs.get(d).vector());
            }
            Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
            List<String> brute = new ArrayList<>(), got = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                brute.add(docs.get(order[k]));
                got.add(hits.get(k).embedded().text());
            }
            if (brute.equals(got)) exact++;
            if (Double.parseDouble(r[2]) == 5.0) {
                asked++;
                if (got.get(0).equals(r[1])) top1++;
                if (got.contains(r[1])) top5++;
            }
        }
        assertEquals(rows.size(), exact, "store results equal to the brute-force ranking");
        assertTrue(asked >= 20, "pairs rated 5: " + asked);
        // STS-B repeats near-identical sentences ("A man is playing a guitar."), so the partner is not always first
        assertTrue(top1 >= 0.8 * asked && top5 >= 0.95 * asked, "partner first for " + top1 + ", in the top 5 for " + top5 + " of " + asked + " pairs rated 5.0");
    }

    @Test
    void longTextsAreTruncatedByDefaultOrAveragedOverWindows() {
        String sentence = "The committee discussed the proposal at length before the vote was taken. ";
        String text = sentence.repeat(40);   // ~600 tokens: more than the model's 256
        List<Embedding> truncated = lacuna.embedAll(segments(List.of(text))).content();
        // the first 254 word pieces of the text, re-wrapped in [CLS] .. [SEP], give the same vector
        var tok = ModelLoader.load("default").encoder().tokenizer();
        assertTrue(tok.encode(text).truncated());
        try (LacunaEmbeddingModel windows = LacunaEmbeddingModel.builder().threads(1).longTexts(LacunaEmbeddingModel.LongTextPolicy.AVERAGE_WINDOWS).build()) {
            List<dev.lacuna.tokenizer.Encoding> parts = windows.windows(text);
            assertTrue(parts.size() >= 3, "windows: " + parts.size());
            for (var p : parts) assertTrue(p.length() <= 256);
            assertArrayEquals(tok.encode(text).ids(), parts.get(0).ids(), "the first window is the truncated text");
            Response<List<Embedding>> avg = windows.embedAll(segments(List.of(text)));
            // the average of the windows' own embeddings, weighted by their token counts
            float[] expect = new float[384];
            for (var p : parts) {
                float[] v = ModelLoader.load("default").encoder().embedEncodings(dev.lacuna.concurrent.Parallel.serial(), List.of(p), 1, null)[0];
                for (int j = 0; j < v.length; j++) expect[j] += p.length() * v[j];
            }
            assertTrue(cosine(expect, avg.content().get(0).vector()) > 0.99999);
            assertNotEquals(truncated.get(0), avg.content().get(0));
            // a short text is one window: both policies agree
            assertEquals(lacuna.embed("short").content(), windows.embed("short").content());
            int total = parts.stream().mapToInt(dev.lacuna.tokenizer.Encoding::length).sum();
            assertEquals(total, avg.tokenUsage().inputTokenCount());
        }
    }

    /** A model pruned by `lacuna sparsify`, and an attention plan, run through the same adapter. */
    @Test
    void prunedModelDirectoryAndAttentionPlan() throws IOException {
        Path out = dir.resolve("pruned");
        int code = Main.run("sparsify", "--recipe", "magnitude-50", "--calib-count", "4", "--eval-count", "16", "--seconds", "1",
                "--no-peers", "--threads", "2", "--out", out.toString());
        assertEquals(0, code);
        List<TextSegment> segs = segments(List.of("A man is playing a guitar.", "A woman is slicing an onion.", "Two dogs run in the snow."));
        List<Embedding> dense = lacuna.embedAll(segs).content();
        try (LacunaEmbeddingModel pruned = LacunaEmbeddingModel.builder().model(out).threads(2).build()) {
            assertEquals(out.toString(), pruned.modelName());
            List<Embedding> sparse = pruned.embedAll(segs).content();
            for (int i = 0; i < segs.size(); i++) {
                double c = cosine(dense.get(i).vector(), sparse.get(i).vector());
                assertTrue(c > 0.5 && c < 0.99999, "a pruned model, not the dense one: cosine " + c);
            }
        }
        ModelIdentity id = ModelFingerprint.of(ModelLoader.load("default"));
        Path plan = Files.writeString(dir.resolve("plan.yaml"), "format: lacuna-attention-plan/1\nmodel: default\n"
                + "model_identity: {config: '" + id.config() + "', weights: '" + id.weights() + "'}\nlayers: 6\nheads: 12\nplan:\n"
                + "- {layer: 0, head: 0, method: window, params: {window: 2}}\n");
        List<String> warnings = new ArrayList<>();
        try (LacunaEmbeddingModel windowed = LacunaEmbeddingModel.builder().attentionPlan(plan).warnings(warnings::add).threads(1).build()) {
            assertTrue(windowed.source().contains("attention plan"), windowed.source());
            assertTrue(warnings.isEmpty(), warnings.toString());
            List<Embedding> got = windowed.embedAll(segs).content();
            for (int i = 0; i < segs.size(); i++) {
                double c = cosine(dense.get(i).vector(), got.get(i).vector());
                assertTrue(c > 0.9 && c < 1, "one windowed head: close to dense but not it, cosine " + c);
            }
        }
        // the plan is for the default model: bge-small-q refuses it in one line
        LacunaException e = assertThrows(LacunaException.class, () -> LacunaEmbeddingModel.builder().model("bge-small-q").attentionPlan(plan).build());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void badInputFailsInOneLine() {
        LacunaException e = assertThrows(LacunaException.class, () -> LacunaEmbeddingModel.builder().model(dir.resolve("missing").toString()).build());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LacunaEmbeddingModel.builder().threads(0));
        assertThrows(IllegalArgumentException.class, () -> lacuna.embedAll(Arrays.asList(TextSegment.from("x"), null)));
    }
}
