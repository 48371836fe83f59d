// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lacuna.LacunaException;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/**
 * Writes an index's documents as bulk NDJSON for the engines a corpus moves to when it outgrows one
 * machine: an action line {@code {"index":{"_index":NAME,"_id":ID}}} then the source
 * {@code {"title","text","sparse":{token:weight},"sae":{...},"dense":[...]}}, each line ending in a newline.
 * <ul>
 * <li>OpenSearch: {@code sparse} and {@code sae} map to {@code rank_features} (neural sparse search with
 *     raw vectors), {@code dense} to {@code knn_vector} ({@link #mapping} gives the index body);</li>
 * <li>Elasticsearch: {@code sparse}/{@code sae} to {@code sparse_vector}, {@code dense} to {@code dense_vector}.</li>
 * </ul>
 * Both engines reject dots in feature names of these fields (a dot means a sub-field), so such features
 * (WordPiece "." and the like) are left out and counted; weights are the full-precision stored ones.
 */
public final class BulkExporter {
    public enum Target {
        OPENSEARCH, ELASTICSEARCH;

        public static Target parse(String s) {
            return switch (s) {
                case "opensearch" -> OPENSEARCH;
                case "elasticsearch" -> ELASTICSEARCH;
                default -> throw new LacunaException("--format must be opensearch or elasticsearch, got '" + s + "'");
            };
        }
    }

    /** What was written. */
    public record Summary(int documents, long features, long droppedFeatures) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private BulkExporter() {}

    public static Summary write(RetrievalIndex idx, Target target, String indexName, String[] vocab, Writer out) throws IOException {
        IndexInfo info = idx.info();
        boolean sparse = info.has("sparse"), sae = info.has("sae"), dense = info.has("dense");
        if (sparse && vocab == null) throw new IllegalArgumentException("sparse export needs the vocabulary");
        long features = 0, dropped = 0;
        for (int d = 0; d < idx.size(); d++) {
            var doc = idx.document(d);
            ObjectNode action = JSON.createObjectNode();
            action.putObject("index").put("_index", indexName).put("_id", idx.id(d));
            ObjectNode src = JSON.createObjectNode();
            src.put("title", doc.get(Fields.TITLE));
            src.put("text", doc.get(Fields.TEXT));
            if (sparse) {
                ObjectNode m = src.putObject("sparse");
                SparseVector v = idx.storedSparse(d, false);
                for (int i = 0; i < v.size(); i++) {
                    String name = vocab[v.ids()[i]];
                    if (name.indexOf('.') >= 0) {
                        dropped++;
                        continue;
                    }
                    m.put(name, v.weights()[i]);
                    features++;
                }
            }
            if (sae) {
                ObjectNode m = src.putObject("sae");
                SparseVector v = idx.storedSparse(d, true);
                for (int i = 0; i < v.size(); i++) m.put(Fields.saeFeature(v.ids()[i]), v.weights()[i]);
                features += v.size();
            }
            if (dense) {
                ArrayNode a = src.putArray("dense");
                for (float x : idx.vector(d)) a.add(x);
            }
            out.write(JSON.writeValueAsString(action));
            out.write('\n');
            out.write(JSON.writeValueAsString(src));
            out.write('\n');
        }
        return new Summary(idx.size(), features, dropped);
    }

    /** The index-creation body (settings and mappings) matching {@link #write}'s documents. */
    public static String mapping(IndexInfo info, Target target) {
        ObjectNode root = JSON.createObjectNode();
        if (target == Target.OPENSEARCH && info.has("dense")) root.putObject("settings").putObject("index").put("knn", true);
        ObjectNode props = root.putObject("mappings").putObject("properties");
        props.putObject("title").put("type", "text");
        props.putObject("text").put("type", "text");
        String sparseType = target == Target.OPENSEARCH ? "rank_features" : "sparse_vector";
        if (info.has("sparse")) props.putObject("sparse").put("type", sparseType);
        if (info.has("sae")) props.putObject("sae").put("type", sparseType);
        if (info.has("dense")) {
            ObjectNode d = props.putObject("dense");
            if (target == Target.OPENSEARCH) {
                d.put("type", "knn_vector").put("dimension", info.dim());
                d.putObject("method").put("name", "hnsw").put("space_type", "innerproduct").put("engine", "lucene")
                        .putObject("parameters").put("m", info.hnswM()).put("ef_construction", info.hnswBeamWidth());
            } else {
                d.put("type", "dense_vector").put("dims", info.dim()).put("index", true).put("similarity", "dot_product");
                d.putObject("index_options").put("type", "hnsw").put("m", info.hnswM()).put("ef_construction", info.hnswBeamWidth());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String describe(Summary s) {
        return String.format(Locale.ROOT, "%d documents, %d features, %d dropped (dots)", s.documents(), s.features(), s.droppedFeatures());
    }
}
