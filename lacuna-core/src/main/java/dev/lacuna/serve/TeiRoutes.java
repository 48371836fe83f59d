// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lacuna.Version;
import dev.lacuna.retrieval.SparseVector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text-embeddings-inference-compatible routes: {@code POST /embed}, {@code /embed_sparse},
 * {@code /tokenize}, {@code GET /info}.
 */
final class TeiRoutes {
    private TeiRoutes() {}

    record SparseValue(int index, float value) {}

    /** One token as TEI's /tokenize gives it; offsets are not tracked (null). */
    record SimpleToken(int id, String text, boolean special, Integer start, Integer stop) {}

    static float[][] embed(ServedModel m, JsonNode body) {
        if (!Inputs.bool(body, "normalize", true)) {
            throw new ApiError(ApiError.Kind.INVALID, "normalize", "'normalize' = false is not supported: model '" + m.name
                    + "' pools to L2-normalised embeddings");
        }
        int[][] seqs = Inputs.tokens(body, "inputs", m.inputs, Inputs.bool(body, "truncate", false), Inputs.direction(body));
        return m.run(seqs, false).embeddings();
    }

    /**
     * {@code features}: {@code terms} (default; vocabulary ids with their contextual weights, the
     * inference-free learned-sparse document side of {@code lacuna index}) or {@code sae} (latents of
     * the SAE given with {@code --sae}).
     */
    static List<List<SparseValue>> embedSparse(ServedModel m, JsonNode body) {
        String features = Inputs.string(body, "features");
        boolean sae;
        if (features == null || features.equals("terms")) sae = false;
        else if (features.equals("sae")) sae = true;
        else throw new ApiError(ApiError.Kind.INVALID, "features", "'features' must be terms or sae, got '" + features + "'");
        if (sae && m.sae == null) throw new ApiError(ApiError.Kind.INVALID, "features", "features=sae needs a server started with --sae DIR");
        if (!sae && m.wordPiece == null) throw new ApiError(ApiError.Kind.INVALID, "features", "model '" + m.name + "' has no WordPiece vocabulary for term weights");
        int[][] seqs = Inputs.tokens(body, "inputs", m.inputs, Inputs.bool(body, "truncate", false), Inputs.direction(body));
        EmbeddingBatcher.Result r = m.run(seqs, !sae);
        List<List<SparseValue>> out = new ArrayList<>(seqs.length);
        for (int i = 0; i < seqs.length; i++) out.add(values(sae ? m.sae.encode(r.embeddings()[i]) : r.terms()[i]));
        return out;
    }

    /** By index, ascending, as text-embeddings-inference returns them. */
    private static List<SparseValue> values(SparseVector v) {
        Integer[] order = new Integer[v.size()];
        for (int k = 0; k < order.length; k++) order[k] = k;
        Arrays.sort(order, (a, b) -> Integer.compare(v.ids()[a], v.ids()[b]));
        List<SparseValue> out = new ArrayList<>(order.length);
        for (int k : order) out.add(new SparseValue(v.ids()[k], v.weights()[k]));
        return out;
    }

    static List<List<SimpleToken>> tokenize(ServedModel m, JsonNode body) {
        boolean special = Inputs.bool(body, "add_special_tokens", true);
        int[][] seqs = Inputs.tokens(body, "inputs", m.inputs, true, InputTokenizer.Direction.RIGHT);
        List<List<SimpleToken>> out = new ArrayList<>(seqs.length);
        for (int[] s : seqs) {
            List<SimpleToken> toks = new ArrayList<>(s.length);
            for (int id : s) {
                boolean sp = m.wordPiece != null && m.wordPiece.isSpecial(id);
                if (sp && !special) continue;
                toks.add(new SimpleToken(id, m.vocabulary == null ? null : m.vocabulary[id], sp, null, null));
            }
            out.add(toks);
        }
        return out;
    }

    static Map<String, Object> info(ServedModel m, ServerOptions opt) {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("model_id", m.name);
        i.put("model_sha", null);
        i.put("model_dtype", "float32");
        i.put("model_type", Map.of("embedding", Map.of("pooling", m.encoder.pooling().name().toLowerCase(java.util.Locale.ROOT))));
        i.put("max_concurrent_requests", opt.maxConcurrentRequests());
        i.put("max_input_length", opt.maxInputTokens());
        i.put("max_batch_tokens", opt.maxBatchTokens());
        i.put("max_batch_requests", null);
        i.put("max_client_batch_size", null);
        i.put("auto_truncate", false);
        i.put("tokenization_workers", null);
        i.put("version", Version.get());
        i.put("embedding_dimensions", m.dim);
        i.put("model_source", m.source);
        i.put("sae", m.sae == null ? null : m.sae.describe());
        return i;
    }
}
