// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.LacunaException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open Lacuna index: the Lucene reader plus, in memory, every document's BEIR id and dense vector
 * (the vectors come from the index's flat vector storage, so exact search and score look-ups never
 * re-embed). The basic retrievers live here; {@link Searcher} combines them into modes.
 * Thread-safe for searching.
 *
 * <p>Shapes: N documents, C embedding width.
 */
public final class RetrievalIndex implements AutoCloseable {
    private final Path path;
    private final IndexInfo info;
    private final FSDirectory dir;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final Analyzer analyzer = Fields.analyzer();
    private final String[] ids;          // [N] BEIR id by Lucene doc number
    private final float[][] vectors;     // [N][C], null without dense

    private RetrievalIndex(Path path, IndexInfo info) throws IOException {
        this.path = path;
        this.info = info;
        this.dir = FSDirectory.open(path);
        this.reader = DirectoryReader.open(dir);
        this.searcher = new IndexSearcher(reader);
        searcher.setSimilarity(new BM25Similarity());
        searcher.setQueryCache(null);   // every query is new: caching only costs
        int n = reader.maxDoc();
        if (n != info.documents()) throw new LacunaException(path + ": holds " + n + " documents but " + IndexInfo.FILE + " says " + info.documents());
        ids = new String[n];
        StoredFields sf = reader.storedFields();
        for (int d = 0; d < n; d++) ids[d] = sf.document(d, java.util.Set.of(Fields.ID)).get(Fields.ID);
        vectors = info.has("dense") ? loadVectors() : null;
    }

    /** Opens the index at {@code path}. */
    public static RetrievalIndex open(Path path) {
        if (!Files.isDirectory(path)) throw new LacunaException("--index " + path + ": no such directory");
        IndexInfo info = IndexInfo.read(path);
        try {
            return new RetrievalIndex(path, info);
        } catch (IOException e) {
            throw new LacunaException(path + ": cannot open the index (" + e.getMessage() + ")");
        }
    }

    private float[][] loadVectors() throws IOException {
        float[][] out = new float[reader.maxDoc()][];
        for (LeafReaderContext ctx : reader.leaves()) {
            FloatVectorValues v = ctx.reader().getFloatVectorValues(Fields.DENSE);
            if (v == null) continue;
            KnnVectorValues.DocIndexIterator it = v.iterator();
            for (int doc = it.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                out[ctx.docBase + doc] = v.vectorValue(it.index()).clone();
            }
        }
        for (int d = 0; d < out.length; d++) if (out[d] == null) throw new LacunaException(path + ": document " + ids[d] + " has no dense vector");
        return out;
    }

    public IndexInfo info() {
        return info;
    }

    public Path path() {
        return path;
    }

    public int size() {
        return ids.length;
    }

    public String id(int doc) {
        return ids[doc];
    }

    /** The stored dense vector of {@code doc} [C] (not a copy: do not modify). */
    public float[] vector(int doc) {
        requireKind("dense");
        return vectors[doc];
    }

    /** Stored fields of one document: id, title, text, and the sparse vectors' bytes. */
    public Document document(int doc) {
        try {
            return reader.storedFields().document(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The full-precision learned sparse vector of {@code doc}, or the SAE one ({@code sae} true). */
    public SparseVector storedSparse(int doc, boolean sae) {
        BytesRef b = document(doc).getBinaryValue(sae ? Fields.SAE_STORED : Fields.SPARSE_STORED);
        return b == null ? SparseVector.EMPTY : SparseCodec.decode(b.bytes, b.offset, b.length);
    }

    void requireKind(String kind) {
        if (!info.has(kind)) {
            throw new LacunaException(path + ": the index has no '" + kind + "' representation (built with --kinds "
                    + String.join(",", info.kinds()) + "; rebuild with " + kind + " among --kinds)");
        }
    }

    /** BM25 over the analysed text: a disjunction of the query's analysed terms. */
    public Ranking bm25(String query, int depth) {
        requireKind("bm25");
        Map<String, Integer> terms = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream(Fields.TEXT, query)) {
            CharTermAttribute a = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) terms.merge(a.toString(), 1, Integer::sum);
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        checkClauses(terms.size());
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        long postings = 0;
        try {
            for (var t : terms.entrySet()) {
                Term term = new Term(Fields.TEXT, t.getKey());
                postings += reader.docFreq(term);
                // a repeated query term counts once per occurrence, as a bag-of-words query does
                Query tq = new TermQuery(term);
                q.add(t.getValue() == 1 ? tq : new org.apache.lucene.search.BoostQuery(tq, t.getValue()), BooleanClause.Occur.SHOULD);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Ranking(top(q.build(), depth), postings);
    }

    /** Impact search over FeatureField features: score = sum of query weight x document weight. */
    public Ranking features(boolean sae, Map<String, Float> queryWeights, int depth) {
        requireKind(sae ? "sae" : "sparse");
        checkClauses(queryWeights.size());
        String field = sae ? Fields.SAE : Fields.SPARSE;
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        long postings = 0;
        try {
            for (var e : queryWeights.entrySet()) {
                int df = reader.docFreq(new Term(field, e.getKey()));
                if (df == 0) continue;
                postings += df;
                q.add(FeatureField.newLinearQuery(field, e.getKey(), e.getValue()), BooleanClause.Occur.SHOULD);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new Ranking(top(q.build(), depth), postings);
    }

    private static void checkClauses(int n) {
        if (n > IndexSearcher.getMaxClauseCount()) {
            throw new LacunaException("the query has " + n + " distinct terms, more than Lucene's limit of " + IndexSearcher.getMaxClauseCount());
        }
    }

    private List<ScoredDoc> top(Query q, int depth) {
        try {
            TopDocs td = searcher.search(q, depth);
            List<ScoredDoc> out = new ArrayList<>(td.scoreDocs.length);
            for (ScoreDoc sd : td.scoreDocs) out.add(new ScoredDoc(ids[sd.doc], sd.doc, sd.score));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Approximate nearest neighbours on the HNSW graph, exploring {@code ef} candidates (HNSW's ef_search;
     * at least depth). Scores are dot products (vectors are L2-normalised, so cosine).
     */
    public Ranking denseHnsw(float[] query, int depth, int ef) {
        requireKind("dense");
        int k = Math.max(depth, ef);
        List<ScoredDoc> all = new ArrayList<>();
        long visited = 0;
        try {
            for (LeafReaderContext ctx : reader.leaves()) {
                LeafReader lr = ctx.reader();
                TopKnnCollector col = new TopKnnCollector(k, Integer.MAX_VALUE);
                lr.searchNearestVectors(Fields.DENSE, query, col, AcceptDocs.fromLiveDocs(lr.getLiveDocs(), lr.maxDoc()));
                visited += col.visitedCount();
                for (ScoreDoc sd : col.topDocs().scoreDocs) {
                    int doc = ctx.docBase + sd.doc;
                    all.add(new ScoredDoc(ids[doc], doc, dot(query, vectors[doc])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.sort((a, b) -> Float.compare(b.score(), a.score()));
        return new Ranking(all.subList(0, Math.min(depth, all.size())), visited);
    }

    /** Exact nearest neighbours: the dot product with every stored vector. */
    public Ranking denseExact(float[] query, int depth) {
        requireKind("dense");
        int n = vectors.length;
        // a bounded min-heap on score keeps the best `depth`
        java.util.PriorityQueue<ScoredDoc> heap = new java.util.PriorityQueue<>(depth + 1,
                (a, b) -> a.score() != b.score() ? Float.compare(a.score(), b.score()) : Integer.compare(b.doc(), a.doc()));
        for (int d = 0; d < n; d++) {
            float s = dot(query, vectors[d]);
            if (heap.size() < depth) {
                heap.add(new ScoredDoc(ids[d], d, s));
            } else if (s > heap.peek().score()) {
                heap.poll();
                heap.add(new ScoredDoc(ids[d], d, s));
            }
        }
        List<ScoredDoc> out = new ArrayList<>(heap);
        out.sort((a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score()) : Integer.compare(a.doc(), b.doc()));
        return new Ranking(out, n);
    }

    /** Dot product of {@code query} with document {@code doc}'s stored vector. */
    public float denseScore(float[] query, int doc) {
        return dot(query, vectors[doc]);
    }

    static float dot(float[] a, float[] b) {
        if (a.length != b.length) throw new LacunaException("query vector has width " + a.length + " but the index holds " + b.length);
        return org.apache.lucene.util.VectorUtil.dotProduct(a, b);
    }

    /** Number of documents containing feature {@code name} in the learned sparse (or SAE) field. */
    public int featureDocFreq(boolean sae, String name) {
        try {
            return reader.docFreq(new Term(sae ? Fields.SAE : Fields.SPARSE, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
            dir.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
