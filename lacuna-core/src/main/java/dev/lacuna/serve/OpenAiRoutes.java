// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The OpenAI-compatible routes: {@code POST /v1/embeddings} and {@code GET /v1/models}. */
final class OpenAiRoutes {
    private OpenAiRoutes() {}

    record Usage(int prompt_tokens, int total_tokens) {}

    /** {@code embedding} is a float[] or, with encoding_format base64, a string. */
    record Datum(String object, int index, Object embedding) {}

    record EmbeddingsResponse(String object, List<Datum> data, String model, Usage usage) {}

    record ModelCard(String id, String object, long created, String owned_by) {}

    record ModelList(String object, List<ModelCard> data) {}

    static EmbeddingsResponse embeddings(ServedModel m, JsonNode body) {
        String model = Inputs.string(body, "model");
        String format = Inputs.string(body, "encoding_format");
        boolean base64;
        if (format == null || format.equals("float")) base64 = false;
        else if (format.equals("base64")) base64 = true;
        else throw new ApiError(ApiError.Kind.INVALID, "encoding_format", "'encoding_format' must be float or base64, got '" + format + "'");
        JsonNode dims = body.get("dimensions");
        if (dims != null && !dims.isNull()) {
            if (!dims.isIntegralNumber()) {
                throw new ApiError(ApiError.Kind.INVALID, "dimensions", "'dimensions' must be an integer, got " + RequestBody.kind(dims));
            }
            if (!dims.canConvertToInt() || dims.intValue() != m.dim) {
                throw new ApiError(ApiError.Kind.INVALID, "dimensions", "model '" + m.name + "' has no Matryoshka training: its embeddings have "
                        + m.dim + " dimensions and cannot be shortened (got dimensions=" + dims.asText() + ")");
            }
        }
        boolean truncate = Inputs.bool(body, "truncate", false);
        int[][] seqs = Inputs.tokens(body, "input", m.inputs, truncate, InputTokenizer.Direction.RIGHT);
        float[][] vecs = m.run(seqs, false).embeddings();
        List<Datum> data = new ArrayList<>(vecs.length);
        for (int i = 0; i < vecs.length; i++) data.add(new Datum("embedding", i, base64 ? base64(vecs[i]) : vecs[i]));
        int tokens = Inputs.tokenCount(seqs);
        return new EmbeddingsResponse("list", data, model == null ? m.name : model, new Usage(tokens, tokens));
    }

    /** Little-endian float32, as OpenAI's encoding_format=base64. */
    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return Base64.getEncoder().encodeToString(b.array());
    }

    static ModelList models(ServedModel m) {
        return new ModelList("list", List.of(new ModelCard(m.name, "model", m.created, "lacuna")));
    }
}
