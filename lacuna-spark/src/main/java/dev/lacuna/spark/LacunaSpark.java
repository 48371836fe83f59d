// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.spark;

import dev.lacuna.LacunaException;
import dev.lacuna.Version;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.retrieval.BeirDocument;
import dev.lacuna.retrieval.BeirReader;
import dev.lacuna.retrieval.ContextualTermWeights;
import dev.lacuna.retrieval.IndexBuilder;
import dev.lacuna.retrieval.IndexInfo;
import dev.lacuna.retrieval.OnBadRecord;
import dev.lacuna.retrieval.SparseVector;
import dev.lacuna.retrieval.WordTerms;
import dev.lacuna.tokenizer.Encoding;
import dev.lacuna.tokenizer.WordPieceTokenizer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Lacuna on Apache Spark: {@link #embed} adds an {@code embedding} column to any Dataset of texts, and
 * {@link #index} builds a Lacuna index (the one {@code lacuna index} writes) with the embedding work
 * spread over the executors. Every executor JVM loads the model once ({@link Engines}) and packs each
 * partition's texts into batches as the engine does (sorted by length, no padding).
 */
public final class LacunaSpark {
    private LacunaSpark() {}

    /**
     * @param model   a model spec every executor can load: {@code default}, {@code bge-small-q}, or a path
     *                all executors see (a shared filesystem)
     * @param threads worker threads of each executor's forward pass (one team per JVM)
     * @param batch   texts per packed batch
     */
    public record EmbedOptions(String model, int threads, int batch) implements Serializable {
        public EmbedOptions {
            if (threads < 1) throw new LacunaException("threads must be >= 1, got " + threads);
            if (batch < 1) throw new LacunaException("batch must be >= 1, got " + batch);
        }
    }

    /** The rows of {@code in} with a non-null {@code embedding} column (array of float, L2-normalised) after their own. */
    public static Dataset<Row> embed(Dataset<Row> in, String textColumn, EmbedOptions o) {
        StructType schema = in.schema();
        int col;
        try {
            col = schema.fieldIndex(textColumn);
        } catch (IllegalArgumentException e) {
            throw new LacunaException("no column '" + textColumn + "' (columns: " + String.join(", ", schema.fieldNames()) + ")");
        }
        if (!schema.fields()[col].dataType().equals(DataTypes.StringType)) {
            throw new LacunaException("column '" + textColumn + "' is " + schema.fields()[col].dataType().simpleString() + ", not string");
        }
        if (schema.getFieldIndex("embedding").isDefined()) throw new LacunaException("the Dataset already has a column 'embedding'");
        StructType out = schema.add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        final int c = col;
        return in.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> embedRows(rows, c, o), Encoders.row(out));
    }

    /** One partition: chunks of rows, each embedded as one sorted, packed run. */
    private static Iterator<Row> embedRows(Iterator<Row> rows, int col, EmbedOptions o) {
        SentenceEncoder enc = Engines.model(o.model()).encoder();
        var par = Engines.team(o.threads());
        int chunk = Math.max(o.batch(), 512);
        return new Iterator<>() {
            final List<Row> pending = new ArrayList<>();
            int next;

            @Override
            public boolean hasNext() {
                if (next < pending.size()) return true;
                pending.clear();
                next = 0;
                List<String> texts = new ArrayList<>();
                while (rows.hasNext() && pending.size() < chunk) {
                    Row r = rows.next();
                    String t = r.getString(col);
                    if (t == null) throw new LacunaException("a row has a null text (column " + col + ")");
                    pending.add(r);
                    texts.add(t);
                }
                if (pending.isEmpty()) return false;
                float[][] v = enc.embed(par, texts, o.batch(), null);
                for (int i = 0; i < pending.size(); i++) {
                    Row r = pending.get(i);
                    Object[] values = new Object[r.size() + 1];
                    for (int j = 0; j < r.size(); j++) values[j] = r.get(j);
                    values[r.size()] = v[i];
                    pending.set(i, RowFactory.create(values));
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new java.util.NoSuchElementException();
                return pending.get(next++);
            }
        };
    }

    /**
     * @param kinds          bm25, dense, sparse (sae needs an SAE file on every executor: build it with
     *                       {@code lacuna index})
     * @param partitions     slices of the corpus, one Lucene index each before the merge
     * @param sparseMass     learned sparse: fraction of each document's IDF-weighted term mass kept
     * @param sparseMaxTerms learned sparse: most terms per document
     * @param sparseAnalysis learned sparse terms: {@code words} (BM25's analysed words, as {@code lacuna index} by
     *                       default) or {@code none} (WordPiece tokens)
     */
    public record IndexOptions(String model, List<String> kinds, int partitions, int threads, int batch, int hnswM, int hnswBeam,
                               double sparseMass, int sparseMaxTerms, OnBadRecord onBadRecord, String sparseAnalysis) implements Serializable {
        public IndexOptions {
            if (!"words".equals(sparseAnalysis) && !"none".equals(sparseAnalysis)) {
                throw new LacunaException("--sparse-analysis must be words or none for spark index, got '" + sparseAnalysis + "'"
                        + ("english".equals(sparseAnalysis) ? " (english is for head training: use 'lacuna index --train-sparse-head')" : ""));
            }
            if (kinds.contains("sae")) {
                throw new LacunaException("spark index: kind sae reads an SAE on every executor; build it with 'lacuna index' (kinds here: bm25, dense, sparse)");
            }
            if (partitions < 1) throw new LacunaException("partitions must be >= 1, got " + partitions);
            kinds = List.copyOf(kinds);
            // the same checks as lacuna index, on the arguments (the fields are not set yet)
            try {
                new IndexBuilder.Settings(kinds, hnswM, hnswBeam, new ContextualTermWeights.Settings(sparseMass, sparseMaxTerms), batch);
            } catch (IllegalArgumentException e) {
                throw new LacunaException("--sparse-mass/--sparse-max-terms: " + e.getMessage());
            }
        }

        /** Sparse terms as {@code lacuna index} writes them by default: analysed words. */
        public IndexOptions(String model, List<String> kinds, int partitions, int threads, int batch, int hnswM, int hnswBeam,
                            double sparseMass, int sparseMaxTerms, OnBadRecord onBadRecord) {
            this(model, kinds, partitions, threads, batch, hnswM, hnswBeam, sparseMass, sparseMaxTerms, onBadRecord, "words");
        }

        /** The defaults of {@code lacuna index} for the rest. */
        public IndexOptions(String model, List<String> kinds, int partitions, int threads, int batch, OnBadRecord onBadRecord) {
            this(model, kinds, partitions, threads, batch, 16, 100, 0.9, 256, onBadRecord, "words");
        }

        boolean words() {
            return "words".equals(sparseAnalysis) && kinds.contains("sparse");
        }

        IndexBuilder.Settings settings() {
            ContextualTermWeights.Settings sp;
            try {
                sp = new ContextualTermWeights.Settings(sparseMass, sparseMaxTerms);
            } catch (IllegalArgumentException e) {
                throw new LacunaException("--sparse-mass/--sparse-max-terms: " + e.getMessage());
            }
            return new IndexBuilder.Settings(kinds, hnswM, hnswBeam, sp, batch);
        }
    }

    /**
     * Corpus-wide statistics the learned sparse weights need (a first, tokenize-only pass): IDF per term, mean
     * length; with analysed words also the terms (ascending) and their document frequencies, else null.
     */
    private record TermStats(float[] idf, double avgLen, String[] words, int[] wordDf) implements Serializable {}

    /**
     * A slice's counts: documents per WordPiece id and tokens, or (analysed words) its words' dictionary and
     * word count; documents.
     */
    private record Counts(int[] df, long tokens, int documents, String[] words, int[] wordDf) implements Serializable {}

    /** What one partition built. */
    private record Part(int index, int documents, int truncated, int dim, int maxLength, int[] df) implements Serializable {}

    /**
     * Builds the index at {@code out} (atomically: nothing is there unless the whole job succeeded). The
     * driver reads the corpus (as {@code lacuna index} does, with its bad-record policy); each of
     * {@code partitions} contiguous slices is embedded and written as a Lucene index by an executor
     * under a temporary sibling of {@code out}; the driver merges them in corpus order
     * ({@code IndexWriter.addIndexes}, one segment), sums their term statistics and writes
     * {@code lacuna-index.json}. The result is the index {@code lacuna index} writes for the same corpus
     * and kinds: the same documents in the same order, embeddings and BM25 statistics.
     */
    public static IndexInfo index(SparkSession spark, Path beir, Path out, boolean overwrite, IndexOptions o) {
        if (!Files.isDirectory(beir)) throw new LacunaException("--beir " + beir + ": not a directory");
        if (Files.exists(out) && !overwrite) throw new LacunaException(out + " already exists (use --overwrite to replace it)");
        BeirReader reader = new BeirReader(o.onBadRecord(), line -> System.err.println("lacuna: " + line));
        Path corpus = beir.resolve("corpus.jsonl");
        List<BeirDocument> docs = reader.readCorpus(corpus);
        List<String[]> rows = new ArrayList<>(docs.size());
        for (BeirDocument d : docs) rows.add(new String[] {d.id(), d.title(), d.text()});
        IndexBuilder.Settings s = o.settings();
        Path parts = out.toAbsolutePath().resolveSibling("." + out.getFileName() + ".parts-" + UUID.randomUUID());
        try {
            Files.createDirectories(parts);
            String partsDir = parts.toString();
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            TermStats stats = null;
            if (s.kinds().contains("sparse")) {
                // the learned weights use corpus-wide IDF and mean length: count them first (tokenizing only)
                List<Counts> counts = jsc.parallelize(rows, o.partitions()).mapPartitions(it -> List.of(count(it, o)).iterator()).collect();
                int[] df = null;
                long tokens = 0, n = 0;
                List<WordTerms.Vocabulary> vocabularies = new ArrayList<>();
                for (Counts c : counts) {
                    if (df == null) df = new int[c.df().length];
                    for (int v = 0; v < df.length; v++) df[v] += c.df()[v];
                    tokens += c.tokens();
                    n += c.documents();
                    if (c.words() != null) vocabularies.add(new WordTerms.Vocabulary(c.words(), c.wordDf()));
                }
                if (o.words()) {
                    WordTerms.Vocabulary voc = WordTerms.merge(vocabularies);
                    stats = new TermStats(voc.idf((int) n), (double) tokens / n, voc.terms(), voc.df());
                } else {
                    float[] idf = new float[df.length];
                    for (int v = 0; v < idf.length; v++) idf[v] = ContextualTermWeights.idf(df[v], n);
                    stats = new TermStats(idf, (double) tokens / n, null, null);
                }
            }
            final TermStats st = stats;
            List<Part> built = jsc.parallelize(rows, o.partitions())
                    .mapPartitionsWithIndex((p, it) -> List.of(buildPart(p, it, partsDir, o, st)).iterator(), true)
                    .collect();
            List<Part> sorted = new ArrayList<>(built);
            sorted.sort(Comparator.comparingInt(Part::index));
            int n = 0, truncated = 0, dim = 0, maxLength = 0;
            int[] df = null;
            for (Part p : sorted) {
                n += p.documents();
                truncated += p.truncated();
                dim = Math.max(dim, p.dim());
                maxLength = Math.max(maxLength, p.maxLength());
                if (p.df().length > 0) {
                    if (df == null) df = new int[p.df().length];
                    for (int v = 0; v < df.length; v++) df[v] += p.df()[v];
                }
            }
            LoadedModel lm = s.needsEncoder() ? Engines.model(o.model()) : null;
            try (AtomicDirectory ad = AtomicDirectory.create(out, overwrite)) {
                try (FSDirectory dir = FSDirectory.open(ad.dir()); IndexWriter w = new IndexWriter(dir, IndexBuilder.writerConfig(s))) {
                    List<Directory> in = new ArrayList<>();
                    for (Part p : sorted) if (p.documents() > 0) in.add(FSDirectory.open(parts.resolve(partName(p.index()))));
                    try {
                        w.addIndexes(in.toArray(Directory[]::new));
                    } finally {
                        for (Directory d : in) d.close();
                    }
                    w.forceMerge(1);
                    w.commit();
                }
                Path modelPath = Path.of(o.model());
                String modelId = lm == null ? null : Files.exists(modelPath) ? modelPath.toAbsolutePath().normalize().toString() : o.model();
                IndexInfo info = new IndexInfo(IndexInfo.FORMAT, Version.get(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                        s.kinds(), modelId, lm == null ? null : lm.source(), null, maxLength, dim, s.hnswM(), s.hnswBeam(), s.sparse().keepMass(),
                        s.sparse().maxTerms(), s.sparse().k1(), s.sparse().b(), null, beir.toAbsolutePath().normalize().toString(),
                        Files.size(corpus), n, reader.problems().size(), truncated,
                        st != null && st.words() != null ? st.wordDf() : df == null ? new int[0] : df, null, st == null ? null : st.words());
                info.write(ad.dir());
                ad.commit();
                return info;
            }
        } catch (IOException e) {
            throw new LacunaException(out + ": cannot write the index (" + e.getMessage() + ")");
        } finally {
            deleteTree(parts);
        }
    }

    static String partName(int p) {
        return String.format("part-%05d", p);
    }

    private static Counts count(Iterator<String[]> it, IndexOptions o) {
        SentenceEncoder enc = Engines.model(o.model()).encoder();
        WordPieceTokenizer wp = wordPiece(enc, o);
        List<String> texts = new ArrayList<>();
        while (it.hasNext()) {
            String[] r = it.next();
            texts.add(new BeirDocument(r[0], r[1], r[2]).fullText());
        }
        if (o.words()) {
            // BM25's analysed words, as lacuna index counts them: every word of the text, past the window too
            WordTerms wt = new WordTerms();
            WordTerms.Doc[] docs = new WordTerms.Doc[texts.size()];
            long words = 0;
            for (int i = 0; i < docs.length; i++) {
                docs[i] = wt.doc(wp.chunks(texts.get(i)));
                words += docs[i].length();
            }
            WordTerms.Vocabulary voc = WordTerms.vocabulary(docs);
            return new Counts(new int[0], words, texts.size(), voc.terms(), voc.df());
        }
        List<Encoding> encodings = enc.tokenize(texts);
        int[] df = new int[wp.vocabulary().length];
        IndexBuilder.countTerms(encodings, wp, df);
        long tokens = 0;
        for (Encoding e : encodings) tokens += e.length();
        return new Counts(df, tokens, texts.size(), null, null);
    }

    private static WordPieceTokenizer wordPiece(SentenceEncoder enc, IndexOptions o) {
        if (!(enc.tokenizer() instanceof WordPieceTokenizer wp)) throw new LacunaException("model " + o.model() + ": retrieval needs a WordPiece tokenizer");
        return wp;
    }

    /** One slice on an executor: tokens' document frequencies, embeddings, learned term weights, and its own Lucene index. */
    private static Part buildPart(int p, Iterator<String[]> it, String partsDir, IndexOptions o, TermStats stats) throws IOException {
        FailPoint.maybeFail(p);
        List<BeirDocument> docs = new ArrayList<>();
        while (it.hasNext()) {
            String[] r = it.next();
            docs.add(new BeirDocument(r[0], r[1], r[2]));
        }
        IndexBuilder.Settings s = o.settings();
        if (!s.needsEncoder()) {   // bm25 alone: no model, no token statistics (as lacuna index)
            writePart(Path.of(partsDir, partName(p)), s, docs, null, null, null);
            return new Part(p, docs.size(), 0, 0, 0, new int[0]);
        }
        SentenceEncoder enc = Engines.model(o.model()).encoder();
        WordPieceTokenizer wp = wordPiece(enc, o);
        List<String> texts = new ArrayList<>(docs.size());
        for (BeirDocument d : docs) texts.add(d.fullText());
        boolean words = stats != null && stats.words() != null;
        WordPieceTokenizer.Chunks[] chunks = words ? new WordPieceTokenizer.Chunks[texts.size()] : null;
        WordTerms.Doc[] wdocs = words ? new WordTerms.Doc[texts.size()] : null;
        int[][] wids = words ? new int[texts.size()][] : null;
        List<Encoding> encodings;
        if (words) {
            // the same ids as tokenize, each tied to its word (WordTerms), as lacuna index does
            WordTerms wt = new WordTerms();
            WordTerms.Vocabulary voc = new WordTerms.Vocabulary(stats.words(), stats.wordDf());
            encodings = new ArrayList<>(texts.size());
            for (int i = 0; i < chunks.length; i++) {
                chunks[i] = wp.chunks(texts.get(i));
                encodings.add(chunks[i].encoding());
                wdocs[i] = wt.doc(chunks[i]);
                wids[i] = voc.ids(wdocs[i]);
            }
        } else {
            encodings = enc.tokenize(texts);
        }
        int[] df = new int[wp.vocabulary().length];
        int truncated = IndexBuilder.countTerms(encodings, wp, df);
        SparseVector[] sparse = stats == null ? null : new SparseVector[docs.size()];
        int width = enc.model().config().hiddenSize();
        SentenceEncoder.BatchListener weigh = sparse == null ? null : (inputs, batch, hidden, pooled) -> {
            for (int b = 0; b < inputs.length; b++) {
                int i = inputs[b];
                sparse[i] = words
                        ? WordTerms.formula(wdocs[i], wids[i], chunks[i].chunkOf(), hidden, batch.seqStarts()[b], batch.length(b), width,
                                pooled[b], stats.idf(), stats.avgLen(), s.sparse())
                        : ContextualTermWeights.weigh(batch.ids(), hidden, batch.seqStarts()[b], batch.length(b),
                                width, pooled[b], wp::isSpecial, stats.idf(), stats.avgLen(), s.sparse());
            }
        };
        float[][] dense = enc.embedEncodings(Engines.team(o.threads()), encodings, o.batch(), null, weigh);
        writePart(Path.of(partsDir, partName(p)), s, docs, dense, sparse, words ? stats.words() : wp.vocabulary());
        int dim = dense.length == 0 ? 0 : dense[0].length;
        return new Part(p, docs.size(), truncated, dim, wp.maxLength(), words ? new int[0] : df);
    }

    /** A slice's Lucene index, the documents as {@code lacuna index} writes them. */
    private static void writePart(Path dir, IndexBuilder.Settings s, List<BeirDocument> docs, float[][] dense, SparseVector[] sparse,
                                  String[] vocab) throws IOException {
        try (FSDirectory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, IndexBuilder.writerConfig(s))) {
            for (int i = 0; i < docs.size(); i++) {
                w.addDocument(IndexBuilder.document(docs.get(i), s, dense == null ? null : dense[i], sparse == null ? null : sparse[i], null, vocab));
            }
            w.commit();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        } catch (IOException e) {
            System.err.println("lacuna: warning: could not remove " + dir + " (" + e.getMessage() + ")");
        }
    }
}
