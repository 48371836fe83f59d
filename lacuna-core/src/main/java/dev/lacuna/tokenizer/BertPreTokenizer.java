// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lacuna.LacunaException;

/** Hugging Face's BertPreTokenizer: splits on whitespace, and isolates every punctuation char. */
final class BertPreTokenizer {
    static final BertPreTokenizer INSTANCE = new BertPreTokenizer();

    private BertPreTokenizer() {}

    /** The "pre_tokenizer" section of tokenizer.json; null when it has none. */
    static BertPreTokenizer fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = node.path("type").asText();
        if (!type.equals("BertPreTokenizer")) {
            throw new LacunaException("unsupported tokenizer pre_tokenizer type '" + type + "' (only BertPreTokenizer)");
        }
        return INSTANCE;
    }

    /** Appends each word of {@code text[from, to)} to {@code bounds} as a (start, end) pair. */
    void split(String text, int from, int to, IntList bounds) {
        int start = -1;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (BertChars.isWhitespace(cp)) {
                start = endWord(start, i, bounds);
            } else if (BertChars.isPunctuation(cp)) {
                endWord(start, i, bounds);
                start = -1;
                bounds.add(i);
                bounds.add(next);
            } else if (start < 0) {
                start = i;
            }
            i = next;
        }
        endWord(start, to, bounds);
    }

    private static int endWord(int start, int end, IntList bounds) {
        if (start >= 0) {
            bounds.add(start);
            bounds.add(end);
        }
        return -1;
    }
}
