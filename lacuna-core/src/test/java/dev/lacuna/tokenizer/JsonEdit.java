// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** A tokenizer.json with some of its fields changed, for tests of other configurations. */
final class JsonEdit {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonEdit() {}

    static byte[] edit(byte[] json, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(json);
            change.accept(root);
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The MiniLM tokenizer with a cased normalizer: no lowercasing, no accent stripping. */
    static byte[] cased() {
        return edit(TokenizerFiles.ALL_MINILM_L6_V2.bytes(), root -> ((ObjectNode) root.get("normalizer"))
                .put("lowercase", false).put("strip_accents", false));
    }
}
