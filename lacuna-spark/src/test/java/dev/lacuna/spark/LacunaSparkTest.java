// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.spark;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.retrieval.BeirCollection;
import dev.lacuna.retrieval.BeirReader;
import dev.lacuna.retrieval.ContextualTermWeights;
import dev.lacuna.retrieval.IndexBuilder;
import dev.lacuna.retrieval.IndexInfo;
import dev.lacuna.retrieval.OnBadRecord;
import dev.lacuna.retrieval.RetrievalEvaluator;
import dev.lacuna.retrieval.RetrievalIndex;
import dev.lacuna.retrieval.SearchOptions;
import dev.lacuna.retrieval.Searcher;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Spark in local[2], started here: embeddings, and a merged index that is the single-machine one. */
class LacunaSparkTest {
    static SparkSession spark;
    static final Path SHARED = Path.of(System.getProperty("lacuna.shared.data", "../../shared/data"));

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("lacuna-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.local.dir", System.getProperty("spark.local.dir", "target/spark-local"))
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void embedAddsTheEnginesEmbeddings() throws Exception {
        List<String> sentences = new ArrayList<>(new LinkedHashSet<>(Files.readAllLines(SHARED.resolve("stsb/stsb-en-dev.csv"), StandardCharsets.UTF_8)
                .stream().map(l -> l.split(",")[0]).filter(s -> !s.isBlank() && s.indexOf('"') < 0).limit(300).toList()));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) rows.add(RowFactory.create(i, sentences.get(i)));
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
        Dataset<Row> in = spark.createDataFrame(rows, schema).repartition(3);
        List<Row> out = LacunaSpark.embed(in, "text", new LacunaSpark.EmbedOptions("default", 1, 32)).collectAsList();
        assertEquals(sentences.size(), out.size());
        SentenceEncoder enc = ModelLoader.load("default").encoder();
        float[][] want = enc.embed(Parallel.serial(), sentences, 32, null);
        Set<Integer> seen = new HashSet<>();
        for (Row r : out) {
            int id = r.getInt(0);
            assertTrue(seen.add(id));
            assertEquals(sentences.get(id), r.getString(1));
            List<Float> e = r.getList(2);
            float[] got = new float[e.size()];
            for (int j = 0; j < got.length; j++) got[j] = e.get(j);
            assertArrayEquals(want[id], got, 0f, "row " + id + ": the engine's embedding, bit for bit, whatever the partition's batches");
        }
        LacunaException bad = assertThrows(LacunaException.class, () -> LacunaSpark.embed(in, "nope", new LacunaSpark.EmbedOptions("default", 1, 32)));
        assertTrue(bad.getMessage().contains("no column 'nope'"), bad.getMessage());
    }

    /** The first {@code docs} documents of cranfield, its queries, and the judgements on those documents. */
    static Path cranfieldSlice(Path dir, int docs) throws Exception {
        Path src = SHARED.resolve("retrieval/cranfield");
        Files.createDirectories(dir.resolve("qrels"));
        List<String> corpus = Files.readAllLines(src.resolve("corpus.jsonl"), StandardCharsets.UTF_8).subList(0, docs);
        Files.write(dir.resolve("corpus.jsonl"), corpus, StandardCharsets.UTF_8);
        Set<String> ids = new HashSet<>();
        for (String l : corpus) ids.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(l).get("_id").asText());
        List<String> qrels = new ArrayList<>();
        for (String l : Files.readAllLines(src.resolve("qrels/test.tsv"), StandardCharsets.UTF_8)) {
            String[] f = l.split("\t");
            if (qrels.isEmpty() || ids.contains(f[1])) qrels.add(l);
        }
        Files.write(dir.resolve("qrels/test.tsv"), qrels, StandardCharsets.UTF_8);
        Files.copy(src.resolve("queries.jsonl"), dir.resolve("queries.jsonl"));
        return dir;
    }

    @Test
    void mergedIndexGivesTheSingleMachineFigures() throws Exception {
        Path work = Files.createTempDirectory("spark-index-");
        Path beir = cranfieldSlice(work.resolve("cranfield-400"), 400);
        List<String> kinds = List.of("bm25", "dense", "sparse");
        // sparse terms as lacuna index writes them by default: BM25's analysed words
        Path merged = compareWithSingleMachine(work, beir, kinds, IndexBuilder.SparseWeights.FORMULA_WORDS,
                new LacunaSpark.IndexOptions("default", kinds, 4, 1, 32, OnBadRecord.FAIL), 400, true);
        // a second run over an existing index is refused, and leaves it as it was
        assertThrows(LacunaException.class, () -> LacunaSpark.index(spark, beir, merged, false,
                new LacunaSpark.IndexOptions("default", kinds, 2, 1, 32, OnBadRecord.FAIL)));
        assertEquals(400, IndexInfo.read(merged).documents());
    }

    @Test
    void wordPieceSparseTermsAreTheSingleMachineOnes() throws Exception {
        Path work = Files.createTempDirectory("spark-index-wp-");
        Path beir = cranfieldSlice(work.resolve("cranfield-150"), 150);
        List<String> kinds = List.of("dense", "sparse");
        compareWithSingleMachine(work, beir, kinds, IndexBuilder.SparseWeights.FORMULA,
                new LacunaSpark.IndexOptions("default", kinds, 3, 1, 32, 16, 100, 0.9, 256, OnBadRecord.FAIL, "none"), 150, false);
        LacunaException bad = assertThrows(LacunaException.class,
                () -> new LacunaSpark.IndexOptions("default", kinds, 3, 1, 32, 16, 100, 0.9, 256, OnBadRecord.FAIL, "english"));
        assertTrue(bad.getMessage().startsWith("--sparse-analysis must be words or none for spark index, got 'english'"), bad.getMessage());
    }

    /**
     * Builds {@code beir} on one machine and with Spark, and checks that the two indexes are the same: corpus
     * order, embeddings and sparse weights bit for bit, term statistics, and (with {@code figures}) every
     * mode's nDCG@10 and recall@100.
     */
    private static Path compareWithSingleMachine(Path work, Path beir, List<String> kinds, IndexBuilder.SparseWeights sw,
                                                 LacunaSpark.IndexOptions o, int docs, boolean figures) throws Exception {
        BeirCollection c = new BeirReader(OnBadRecord.FAIL, s -> {}).read(beir, "test");
        Path single = work.resolve("single"), merged = work.resolve("merged");
        var lm = ModelLoader.load("default");
        try (Parallel par = new Parallel(2)) {
            IndexBuilder.build(c, new IndexBuilder.Encoder(lm.encoder(), "default", lm.source(), null, par), null,
                    new IndexBuilder.Settings(kinds, 16, 100, new ContextualTermWeights.Settings(0.9, 256), 32), sw, single, false);
        }
        IndexInfo info = LacunaSpark.index(spark, beir, merged, false, o);
        assertEquals(docs, info.documents());
        IndexInfo one = IndexInfo.read(single);
        assertEquals(sw.analysis() == dev.lacuna.retrieval.TermWeightHead.Analysis.WORDS, info.sparseWords());
        assertArrayEquals(one.sparseTerms(), info.sparseTerms(), "the sparse terms");
        assertArrayEquals(one.termDf(), info.termDf(), "document frequencies summed over the partitions");
        assertEquals(one.truncatedDocuments(), info.truncatedDocuments());
        assertEquals(one.dim(), info.dim());
        try (RetrievalIndex a = RetrievalIndex.open(single); RetrievalIndex b = RetrievalIndex.open(merged); Parallel par = new Parallel(1)) {
            assertEquals(a.size(), b.size());
            for (int d = 0; d < a.size(); d += 37) {
                assertEquals(a.id(d), b.id(d), "corpus order at " + d);
                assertArrayEquals(a.vector(d), b.vector(d), 0f, "embedding of " + a.id(d));
            }
            for (int d = 0; d < a.size(); d += 37) {
                var sa = a.storedSparse(d, false);
                var sb = b.storedSparse(d, false);
                assertArrayEquals(sa.ids(), sb.ids(), "learned sparse terms of " + a.id(d));
                assertArrayEquals(sa.weights(), sb.weights(), 0f, "learned sparse weights of " + a.id(d));
            }
            if (figures) {
                for (SearchOptions.Mode mode : new SearchOptions.Mode[] {SearchOptions.Mode.BM25, SearchOptions.Mode.DENSE_EXACT, SearchOptions.Mode.SPARSE}) {
                    var ra = RetrievalEvaluator.evaluate(new Searcher(a, lm.encoder(), par, null), c, SearchOptions.defaults(mode), 0);
                    var rb = RetrievalEvaluator.evaluate(new Searcher(b, lm.encoder(), par, null), c, SearchOptions.defaults(mode), 0);
                    System.err.println(mode + ": single machine " + ra.json() + "; spark " + rb.json());
                    assertEquals(String.format("%.4f", ra.ndcg10()), String.format("%.4f", rb.ndcg10()), mode + " nDCG@10");
                    assertEquals(String.format("%.4f", ra.recall100()), String.format("%.4f", rb.recall100()), mode + " recall@100");
                }
            }
        }
        return merged;
    }

    @Test
    void aJobThatDiesMidwayLeavesNoIndex() throws Exception {
        Path work = Files.createTempDirectory("spark-fail-");
        Path beir = cranfieldSlice(work.resolve("cranfield-60"), 60);
        Path out = work.resolve("index");
        System.setProperty("lacuna.spark.failPartition", "2");
        try {
            Exception e = assertThrows(Exception.class, () -> LacunaSpark.index(spark, beir, out, false,
                    new LacunaSpark.IndexOptions("default", List.of("bm25"), 3, 1, 32, OnBadRecord.FAIL)));
            assertTrue(String.valueOf(e.getMessage()).contains("fails on purpose"), String.valueOf(e.getMessage()));
        } finally {
            System.clearProperty("lacuna.spark.failPartition");
        }
        assertFalse(Files.exists(out), "no index after a failed job");
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(beir), left.toList(), "no partial index or temporary sibling left");
        }
        LacunaException sae = assertThrows(LacunaException.class, () -> new LacunaSpark.IndexOptions("default", List.of("sae"), 2, 1, 32, OnBadRecord.FAIL));
        assertTrue(sae.getMessage().contains("lacuna index"), sae.getMessage());
    }
}
