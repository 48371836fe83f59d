// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lacuna.LacunaException;

/**
 * The post-processor of a single text: special token ids before and after it, e.g. [CLS] A [SEP].
 *
 * @param prefix ids before the text
 * @param suffix ids after the text
 */
record SpecialTokenTemplate(int[] prefix, int[] suffix) {
    static final SpecialTokenTemplate NONE = new SpecialTokenTemplate(new int[0], new int[0]);

    int count() {
        return prefix.length + suffix.length;
    }

    /** The "post_processor" section of tokenizer.json: TemplateProcessing or BertProcessing. */
    static SpecialTokenTemplate fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        String type = node.path("type").asText();
        return switch (type) {
            case "TemplateProcessing" -> fromTemplate(node);
            case "BertProcessing" -> new SpecialTokenTemplate(
                    new int[] {idOfPair(node.path("cls"), "cls")}, new int[] {idOfPair(node.path("sep"), "sep")});
            default -> throw new LacunaException("unsupported tokenizer post_processor type '" + type
                    + "' (only TemplateProcessing, BertProcessing)");
        };
    }

    /** BertProcessing's ["[CLS]", 101]. */
    private static int idOfPair(JsonNode pair, String name) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(1).canConvertToInt()) {
            throw new LacunaException("tokenizer.json: BertProcessing has no valid '" + name + "' token");
        }
        return pair.get(1).asInt();
    }

    /** TemplateProcessing's "single" template, with ids from its "special_tokens". */
    private static SpecialTokenTemplate fromTemplate(JsonNode node) {
        IntList prefix = new IntList(2);
        IntList suffix = new IntList(2);
        boolean seenSequence = false;
        for (JsonNode piece : node.path("single")) {
            if (piece.has("Sequence")) {
                if (seenSequence) {
                    throw new LacunaException("tokenizer.json: TemplateProcessing single template has two sequences");
                }
                seenSequence = true;
            } else if (piece.has("SpecialToken")) {
                String name = piece.path("SpecialToken").path("id").asText();
                JsonNode ids = node.path("special_tokens").path(name).path("ids");
                if (!ids.isArray() || ids.isEmpty()) {
                    throw new LacunaException("tokenizer.json: TemplateProcessing has no ids for '" + name + "'");
                }
                for (JsonNode id : ids) {
                    (seenSequence ? suffix : prefix).add(id.asInt());
                }
            } else {
                throw new LacunaException("tokenizer.json: unsupported TemplateProcessing piece " + piece);
            }
        }
        if (!seenSequence) {
            throw new LacunaException("tokenizer.json: TemplateProcessing single template has no sequence");
        }
        int[] pre = new int[prefix.size()];
        prefix.copyTo(pre.length, pre, 0);
        int[] post = new int[suffix.size()];
        suffix.copyTo(post.length, post, 0);
        return new SpecialTokenTemplate(pre, post);
    }
}
