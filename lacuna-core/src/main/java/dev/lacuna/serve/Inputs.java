// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The inputs of an embedding request, as both APIs spell them: a string, a list of strings, a list of
 * token ids (one input) or a list of token-id lists; tokenized to the ids the model runs on.
 */
final class Inputs {
    private Inputs() {}

    /** Token ids [n][len] of field {@code name} of {@code body}. */
    static int[][] tokens(JsonNode body, String name, InputTokenizer tok, boolean truncate, InputTokenizer.Direction dir) {
        JsonNode in = body.get(name);
        if (in == null || in.isNull()) throw new ApiError(ApiError.Kind.INVALID, name, "'" + name + "' is required");
        if (in.isTextual()) return new int[][] {tok.text(in.textValue(), truncate, dir, "'" + name + "'")};
        if (!in.isArray()) {
            throw new ApiError(ApiError.Kind.INVALID, name, "'" + name + "' must be a string, a list of strings or a list of token-id lists, got " + RequestBody.kind(in));
        }
        if (in.isEmpty()) throw new ApiError(ApiError.Kind.EMPTY, name, "'" + name + "' is an empty list");
        JsonNode first = in.get(0);
        if (first.isIntegralNumber()) return new int[][] {tok.ids(ids(in, "'" + name + "'"), truncate, "'" + name + "'")};
        int[][] out = new int[in.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = in.get(i);
            String where = "'" + name + "'[" + i + "]";
            if (e.isTextual() && first.isTextual()) {
                out[i] = tok.text(e.textValue(), truncate, dir, where);
            } else if (e.isArray() && first.isArray()) {
                out[i] = tok.ids(ids(e, where), truncate, where);
            } else {
                throw new ApiError(ApiError.Kind.INVALID, name, where + " is " + RequestBody.kind(e) + " but '" + name
                        + "'[0] is " + RequestBody.kind(first) + " (all inputs must be strings, or all token-id lists)");
            }
        }
        return out;
    }

    private static int[] ids(JsonNode list, String where) {
        int[] ids = new int[list.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode e = list.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw new ApiError(ApiError.Kind.INVALID, where + "[" + i + "] must be a token id (an integer), got " + RequestBody.kind(e));
            }
            ids[i] = e.intValue();
        }
        return ids;
    }

    /** Optional boolean field; {@code dflt} when absent or null. */
    static boolean bool(JsonNode body, String name, boolean dflt) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return dflt;
        if (!n.isBoolean()) throw new ApiError(ApiError.Kind.INVALID, name, "'" + name + "' must be true or false, got " + RequestBody.kind(n));
        return n.booleanValue();
    }

    /** Optional string field; null when absent or null. */
    static String string(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new ApiError(ApiError.Kind.INVALID, name, "'" + name + "' must be a string, got " + RequestBody.kind(n));
        return n.textValue();
    }

    /** {@code truncation_direction}: Right (default) or Left, as text-embeddings-inference spells them. */
    static InputTokenizer.Direction direction(JsonNode body) {
        String d = string(body, "truncation_direction");
        if (d == null || d.equalsIgnoreCase("right")) return InputTokenizer.Direction.RIGHT;
        if (d.equalsIgnoreCase("left")) return InputTokenizer.Direction.LEFT;
        throw new ApiError(ApiError.Kind.INVALID, "truncation_direction", "'truncation_direction' must be Left or Right, got '" + d + "'");
    }

    static int tokenCount(int[][] seqs) {
        int n = 0;
        for (int[] s : seqs) n += s.length;
        return n;
    }
}
