// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lacuna.LacunaException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Hugging Face's WordPiece model: greedy longest-match-first over the vocabulary, continuing
 * pieces carry the "##" prefix; a word with any unmatched part, or longer than
 * max_input_chars_per_word code points, becomes the unknown token.
 */
final class WordPieceModel {
    /** Every piece by its text; word-initial pieces are looked up here. */
    private final Map<String, Integer> vocab;
    /** Continuing pieces, by text without their prefix. */
    private final Map<String, Integer> continuing;
    private final int maxInitialLength;
    private final int maxContinuingLength;
    private final int unkId;
    private final int maxInputCharsPerWord;

    private WordPieceModel(Map<String, Integer> vocab, String prefix, int unkId, int maxInputCharsPerWord) {
        this.vocab = vocab;
        this.unkId = unkId;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        continuing = new HashMap<>(vocab.size());
        int maxInit = 0;
        int maxCont = 0;
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String token = e.getKey();
            maxInit = Math.max(maxInit, token.length());
            if (token.startsWith(prefix)) {
                String rest = token.substring(prefix.length());
                continuing.put(rest, e.getValue());
                maxCont = Math.max(maxCont, rest.length());
            }
        }
        maxInitialLength = maxInit;
        maxContinuingLength = maxCont;
    }

    /** The "model" section of tokenizer.json. */
    static WordPieceModel fromJson(JsonNode node) {
        String type = node == null ? "null" : node.path("type").asText();
        if (!type.equals("WordPiece")) {
            throw new LacunaException("unsupported tokenizer model type '" + type + "' (only WordPiece)");
        }
        JsonNode vocabNode = node.path("vocab");
        if (!vocabNode.isObject() || vocabNode.isEmpty()) {
            throw new LacunaException("tokenizer.json: WordPiece model has no vocab");
        }
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        String unk = node.path("unk_token").asText("[UNK]");
        Integer unkId = vocab.get(unk);
        if (unkId == null) {
            throw new LacunaException("tokenizer.json: unk_token '" + unk + "' is not in the vocab");
        }
        String prefix = node.path("continuing_subword_prefix").asText("##");
        int maxChars = node.path("max_input_chars_per_word").asInt(100);
        return new WordPieceModel(vocab, prefix, unkId, maxChars);
    }

    /** Token text by id; ids missing from the vocabulary map to null. */
    String[] tokens() {
        int max = -1;
        for (int id : vocab.values()) max = Math.max(max, id);
        String[] out = new String[max + 1];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) out[e.getValue()] = e.getKey();
        return out;
    }

    /** Id of {@code token} in the vocabulary, or null. */
    Integer id(String token) {
        return vocab.get(token);
    }

    /** Appends the pieces of the word {@code text[start, end)} to {@code out}. */
    void tokenize(String text, int start, int end, IntList out) {
        if (end - start > maxInputCharsPerWord && text.codePointCount(start, end) > maxInputCharsPerWord) {
            out.add(unkId);
            return;
        }
        int mark = out.size();
        int pieceStart = start;
        while (pieceStart < end) {
            boolean first = pieceStart == start;
            Map<String, Integer> pieces = first ? vocab : continuing;
            int pieceEnd = Math.min(end, pieceStart + (first ? maxInitialLength : maxContinuingLength));
            Integer id = null;
            while (pieceEnd > pieceStart) {
                id = pieces.get(text.substring(pieceStart, pieceEnd));
                if (id != null) {
                    break;
                }
                pieceEnd -= isSurrogatePairEnd(text, pieceStart, pieceEnd) ? 2 : 1;
            }
            if (id == null) {
                out.truncate(mark);
                out.add(unkId);
                return;
            }
            out.add(id);
            pieceStart = pieceEnd;
        }
    }

    /** Whether text[end-2, end) is one code point, within text[start, end). */
    private static boolean isSurrogatePairEnd(String text, int start, int end) {
        return end - 2 >= start
                && Character.isLowSurrogate(text.charAt(end - 1))
                && Character.isHighSurrogate(text.charAt(end - 2));
    }
}
