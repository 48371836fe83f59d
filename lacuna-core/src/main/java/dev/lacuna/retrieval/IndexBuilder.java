// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.LacunaException;
import dev.lacuna.Version;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.io.Progress;
import dev.lacuna.tokenizer.Encoding;
import dev.lacuna.tokenizer.WordPieceTokenizer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds a Lacuna index on disk from a BEIR collection: one Lucene document per corpus document, in
 * corpus order, in a single segment. The encoder runs once over the corpus (batched, sorted by
 * length); each batch yields both the dense embeddings and the token states the learned term
 * weights come from. Written under a temporary sibling and renamed into place.
 */
public final class IndexBuilder {
    public static final Set<String> KINDS = Set.of("bm25", "dense", "sparse", "sae");

    /**
     * @param kinds      which representations to index: bm25, dense, sparse, sae
     * @param hnswM      HNSW maximum connections per node
     * @param hnswBeam   HNSW beam width at construction
     * @param batchSize  documents per encoder batch
     */
    public record Settings(List<String> kinds, int hnswM, int hnswBeam, ContextualTermWeights.Settings sparse, int batchSize) {
        public Settings {
            if (kinds.isEmpty()) throw new LacunaException("--kinds is empty (bm25, dense, sparse, sae)");
            for (String k : kinds) if (!KINDS.contains(k)) throw new LacunaException("unknown kind '" + k + "' in --kinds (bm25, dense, sparse, sae)");
            if (hnswM < 2 || hnswM > Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) throw new LacunaException("--hnsw-m must be in [2, 512], got " + hnswM);
            if (hnswBeam < 1 || hnswBeam > Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) throw new LacunaException("--hnsw-beam must be in [1, 3200], got " + hnswBeam);
            if (batchSize < 1) throw new LacunaException("--batch must be >= 1, got " + batchSize);
            kinds = List.copyOf(kinds);
        }

        public boolean needsEncoder() {
            return kinds.contains("dense") || kinds.contains("sparse") || kinds.contains("sae");
        }
    }

    /**
     * Where the sparse kind's document weights come from: the untrained {@link ContextualTermWeights}
     * formula, a trained {@link TermWeightHead}, or a head trained now on the corpus's pseudo-queries
     * ({@link TermWeightTrainer}), written to {@code out} and then used.
     */
    public sealed interface SparseWeights {
        /** The untrained formula over WordPiece ids ({@link ContextualTermWeights}). */
        SparseWeights FORMULA = new Formula(TermWeightHead.Analysis.NONE);
        /** The untrained formula over analysed words ({@link WordTerms}): the initial head, s = smooth max(0, cos). */
        SparseWeights FORMULA_WORDS = new Formula(TermWeightHead.Analysis.WORDS);

        /** @param analysis NONE (WordPiece ids) or WORDS */
        record Formula(TermWeightHead.Analysis analysis) implements SparseWeights {
            public Formula {
                if (analysis == TermWeightHead.Analysis.ENGLISH) throw new LacunaException("--sparse-analysis english is for a trained head (--train-sparse-head); the untrained formula takes words or none");
            }
        }

        record Head(TermWeightHead head, Path file) implements SparseWeights {}

        /** @param analysis the terms the head weighs ({@link TermWeightHead.Analysis}) */
        record Train(TermWeightTrainer.Settings settings, TermWeightHead.Analysis analysis, Path out, java.util.function.Consumer<TermWeightTrainer.Result> onTrained) implements SparseWeights {}

        /** The terms the sparse field holds. */
        default TermWeightHead.Analysis analysis() {
            return switch (this) {
                case Formula f -> f.analysis();
                case Head h -> h.head().analysis();
                case Train t -> t.analysis();
            };
        }
    }

    /** The encoder side of indexing: a model (with its attention plan) and what to call it in provenance. */
    public record Encoder(SentenceEncoder encoder, String model, String modelSource, String attention, Parallel par) {}

    private IndexBuilder() {}

    /**
     * Adds each encoding's distinct non-special token ids to {@code df} (documents per vocabulary id);
     * returns how many encodings were truncated. Sums of per-part counts equal the whole corpus's.
     */
    public static int countTerms(List<Encoding> encodings, WordPieceTokenizer tok, int[] df) {
        int truncated = 0;
        for (Encoding e : encodings) {
            if (e.truncated()) truncated++;
            int[] ids = e.ids().clone();
            java.util.Arrays.sort(ids);
            for (int i = 0; i < ids.length; i++) {
                if ((i == 0 || ids[i] != ids[i - 1]) && !tok.isSpecial(ids[i])) df[ids[i]]++;
            }
        }
        return truncated;
    }

    /** How every Lacuna index is written: BM25, HNSW with the settings' graph parameters, one merge order that keeps doc numbers. */
    public static IndexWriterConfig writerConfig(Settings s) {
        IndexWriterConfig cfg = new IndexWriterConfig(Fields.analyzer());
        cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        cfg.setSimilarity(new BM25Similarity());
        cfg.setRAMBufferSizeMB(512);
        cfg.setMergePolicy(new LogDocMergePolicy());   // merges adjacent segments only: doc numbers keep corpus order
        cfg.setCodec(new Lucene103Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return new Lucene99HnswVectorsFormat(s.hnswM(), s.hnswBeam());
            }
        });
        return cfg;
    }

    /**
     * The Lucene document of one corpus document, with the representations {@code s} asks for.
     *
     * @param dense  its embedding (kind dense), else null
     * @param sparse its learned term weights (kind sparse), else null
     * @param sae    its SAE latents (kind sae), else null
     * @param vocab  the tokenizer's vocabulary, for sparse term names
     */
    public static Document document(BeirDocument d, Settings s, float[] dense, SparseVector sparse, SparseVector sae, String[] vocab) {
        Document ld = new Document();
        ld.add(new StringField(Fields.ID, d.id(), Field.Store.YES));
        ld.add(new StoredField(Fields.TITLE, d.title() == null ? "" : d.title()));
        if (s.kinds().contains("bm25")) ld.add(new TextField(Fields.TEXT, d.fullText(), Field.Store.YES));
        else ld.add(new StoredField(Fields.TEXT, d.fullText()));
        if (s.kinds().contains("dense")) ld.add(new KnnFloatVectorField(Fields.DENSE, dense, VectorSimilarityFunction.DOT_PRODUCT));
        if (sparse != null) {
            for (int k = 0; k < sparse.size(); k++) ld.add(new FeatureField(Fields.SPARSE, vocab[sparse.ids()[k]], sparse.weights()[k]));
            ld.add(new StoredField(Fields.SPARSE_STORED, SparseCodec.encode(sparse)));
        }
        if (sae != null) {
            for (int k = 0; k < sae.size(); k++) ld.add(new FeatureField(Fields.SAE, Fields.saeFeature(sae.ids()[k]), sae.weights()[k]));
            ld.add(new StoredField(Fields.SAE_STORED, SparseCodec.encode(sae)));
        }
        return ld;
    }

    /**
     * Builds the index at {@code out}.
     *
     * @param enc the encoder (null only when no kind needs one)
     * @param sae the SAE feature encoder (null unless kinds has sae)
     */
    public static IndexInfo build(BeirCollection c, Encoder enc, SparseFeatureEncoder sae, Settings s, Path out, boolean overwrite) {
        return build(c, enc, sae, s, SparseWeights.FORMULA, out, overwrite);
    }

    /** Builds the index at {@code out}, the sparse kind's weights from {@code sw}. */
    public static IndexInfo build(BeirCollection c, Encoder enc, SparseFeatureEncoder sae, Settings s, SparseWeights sw, Path out, boolean overwrite) {
        if (s.needsEncoder() && enc == null) throw new IllegalArgumentException("kinds " + s.kinds() + " need an encoder");
        if (s.kinds().contains("sae") && sae == null) throw new IllegalArgumentException("kind sae needs an SAE");
        List<BeirDocument> docs = c.documents();
        int n = docs.size();
        List<String> texts = new ArrayList<>(n);
        for (BeirDocument d : docs) texts.add(d.fullText());

        WordPieceTokenizer wp = null;
        String[] vocab = null;        // names of the sparse field's terms
        String[] wordVocab = null;    // the same when they are analysed words (recorded in the index)
        int[] df = new int[0];
        float[][] dense = null;
        SparseVector[] sparse = null;
        SparseVector[] saeVecs = null;
        int truncated = 0;
        String headInfo = null;
        if (enc != null) {
            if (!(enc.encoder().tokenizer() instanceof WordPieceTokenizer w)) {
                throw new LacunaException("model " + enc.model() + ": retrieval needs a WordPiece tokenizer");
            }
            wp = w;
            final WordPieceTokenizer tok = wp;
            final boolean words = s.kinds().contains("sparse") && sw.analysis() == TermWeightHead.Analysis.WORDS;
            List<Encoding> encodings;
            final WordPieceTokenizer.Chunks[] chunks = words ? new WordPieceTokenizer.Chunks[n] : null;
            final WordTerms.Doc[] wdocs = words ? new WordTerms.Doc[n] : null;
            final int[][] wids = words ? new int[n][] : null;
            final float[] idf;
            final double avgLen;
            if (words) {
                WordTerms wt = new WordTerms();
                encodings = new ArrayList<>(n);
                double terms = 0;
                for (int i = 0; i < n; i++) {
                    chunks[i] = wp.chunks(texts.get(i));
                    encodings.add(chunks[i].encoding());
                    wdocs[i] = wt.doc(chunks[i]);
                    terms += wdocs[i].length();
                }
                WordTerms.Vocabulary voc = WordTerms.vocabulary(wdocs);
                for (int i = 0; i < n; i++) wids[i] = voc.ids(wdocs[i]);
                truncated = countTerms(encodings, tok, new int[wp.vocabulary().length]);
                vocab = wordVocab = voc.terms();
                df = voc.df();
                idf = voc.idf(n);
                avgLen = terms / n;
            } else {
                vocab = wp.vocabulary();
                encodings = enc.encoder().tokenize(texts);
                df = new int[vocab.length];
                double tokens = 0;
                for (Encoding e : encodings) tokens += e.length();
                truncated = countTerms(encodings, tok, df);
                avgLen = tokens / n;
                idf = new float[vocab.length];
                for (int v = 0; v < idf.length; v++) idf[v] = ContextualTermWeights.idf(df[v], n);
            }
            if (s.needsEncoder()) {
                final SparseVector[] sp = s.kinds().contains("sparse") ? new SparseVector[n] : null;
                final int width = enc.encoder().model().config().hiddenSize();
                final TermWeightHead head = sw instanceof SparseWeights.Head h ? h.head()
                        : words && sw instanceof SparseWeights.Formula ? TermWeightHead.initial(width, s.sparse().k1(), s.sparse().b(), TermWeightHead.Analysis.WORDS) : null;
                if (head != null && head.width() != width) {
                    throw new LacunaException("the term-weight head is for hidden width " + head.width() + ", the model " + enc.model() + " has " + width);
                }
                final StemVariants sv = sw.analysis() == TermWeightHead.Analysis.ENGLISH && sp != null ? StemVariants.of(vocab) : null;
                final DocTokens[] saved = sp != null && sw instanceof SparseWeights.Train ? new DocTokens[n] : null;
                SentenceEncoder.BatchListener weigh = sp == null ? null : (inputs, batch, hidden, pooled) -> {
                    for (int b = 0; b < inputs.length; b++) {
                        int start = batch.seqStarts()[b], len = batch.length(b), i = inputs[b];
                        DocTokens d = null;
                        if (words) {
                            d = WordTerms.features(wdocs[i], wids[i], chunks[i].chunkOf(), hidden, start, len, width, pooled[b]);
                        } else if (saved != null) {
                            d = DocTokens.of(batch.ids(), hidden, start, len, width, pooled[b], tok::isSpecial);
                        }
                        if (saved != null) {
                            saved[i] = d;
                        } else if (d != null) {
                            sp[i] = head.weigh(d, idf, avgLen, s.sparse(), sv);
                        } else if (head != null) {
                            sp[i] = head.weigh(batch.ids(), hidden, start, len, width, pooled[b], tok::isSpecial, idf, avgLen, s.sparse(), sv);
                        } else {
                            sp[i] = ContextualTermWeights.weigh(batch.ids(), hidden, start, len,
                                    width, pooled[b], tok::isSpecial, idf, avgLen, s.sparse());
                        }
                    }
                };
                try (Progress p = Progress.of("embed corpus", n, 0)) {
                    dense = enc.encoder().embedEncodings(enc.par(), encodings, s.batchSize(), p, weigh);
                }
                if (sw instanceof SparseWeights.Head h && sp != null) headInfo = head.describe(h.file());
                if (saved != null) {
                    SparseWeights.Train tr = (SparseWeights.Train) sw;
                    final int[] dfs = df;
                    java.util.function.Function<String, int[]> termIds;
                    if (words) {
                        WordTerms qt = new WordTerms();
                        final String[] names = wordVocab;
                        termIds = q -> qt.query(tok, q).stream().mapToInt(t -> java.util.Arrays.binarySearch(names, t)).filter(id -> id >= 0).toArray();
                    } else {
                        termIds = q -> java.util.Arrays.stream(tok.encode(q).ids()).filter(id -> !tok.isSpecial(id) && dfs[id] > 0).toArray();
                    }
                    java.util.function.Function<List<String>, float[][]> embed = qs -> {
                        try (Progress p = Progress.of("embed pseudo-queries", qs.size(), 0)) {
                            return enc.encoder().embed(enc.par(), qs, s.batchSize(), p);
                        }
                    };
                    TermWeightHead init = TermWeightHead.initial(width, s.sparse().k1(), s.sparse().b(), tr.analysis());
                    TermWeightTrainer.Problem prob = TermWeightTrainer.prepare(docs, saved, dense, idf, avgLen, init.k1(), init.b(), sv, termIds, embed, tr.settings());
                    java.util.Map<String, Object> prov = new java.util.LinkedHashMap<>();
                    prov.put("corpus", c.dir().toAbsolutePath().normalize().toString());
                    prov.put("documents", n);
                    TermWeightTrainer.Result res = TermWeightTrainer.train(prob, init, tr.settings(), enc.model(), prov);
                    res.head().write(tr.out());
                    if (tr.onTrained() != null) tr.onTrained().accept(res);
                    for (int i = 0; i < n; i++) {
                        sp[i] = res.head().weigh(saved[i], idf, avgLen, s.sparse(), sv);
                        saved[i] = null;
                    }
                    headInfo = res.head().describe(tr.out());
                }
                sparse = sp;
                if (s.kinds().contains("sae")) {
                    saeVecs = new SparseVector[n];
                    for (int i = 0; i < n; i++) saeVecs[i] = sae.encode(dense[i]);
                }
            }
        }

        int dim = dense == null ? 0 : dense[0].length;
        try (AtomicDirectory ad = AtomicDirectory.create(out, overwrite)) {
            IndexWriterConfig cfg = writerConfig(s);
            try (FSDirectory dir = FSDirectory.open(ad.dir());
                 IndexWriter w = new IndexWriter(dir, cfg);
                 Progress p = Progress.of("index", n, 0)) {
                for (int i = 0; i < n; i++) {
                    Document ld = document(docs.get(i), s, dense == null ? null : dense[i], sparse == null ? null : sparse[i], saeVecs == null ? null : saeVecs[i], vocab);
                    w.addDocument(ld);
                    p.advance(1);
                }
                w.forceMerge(1);
                w.commit();
            }
            long bytes;
            try {
                bytes = Files.size(c.dir().resolve("corpus.jsonl"));
            } catch (IOException e) {
                bytes = -1;
            }
            IndexInfo info = new IndexInfo(IndexInfo.FORMAT, Version.get(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    s.kinds(), enc == null ? null : enc.model(), enc == null ? null : enc.modelSource(), enc == null ? null : enc.attention(),
                    wp == null ? 0 : wp.maxLength(), dim, s.hnswM(), s.hnswBeam(), s.sparse().keepMass(), s.sparse().maxTerms(), s.sparse().k1(), s.sparse().b(),
                    sae == null ? null : sae.describe(), c.dir().toAbsolutePath().normalize().toString(), bytes, n,
                    c.problems().size(), truncated, df, headInfo, wordVocab);
            info.write(ad.dir());
            ad.commit();
            return info;
        } catch (IOException e) {
            throw new LacunaException(out + ": cannot write the index (" + e.getMessage() + ")");
        }
    }
}
