// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Hugging Face's added tokens ([CLS], [SEP], [MASK]...): found in the text before the model
 * sees it, leftmost-longest, and given their own id. Tokens with normalized=false are matched
 * on the raw text, the others on each normalized piece of it.
 */
final class AddedVocabulary {
    /** One added token and its matching options. */
    private record AddedToken(String content, int id, boolean singleWord, boolean lstrip, boolean rstrip) {}

    /** Marks a piece of text that is not an added token, in {@link #split}'s output. */
    static final int TEXT = -1;

    private final AddedToken[] tokens;
    private final BitSet firstChars = new BitSet();

    private AddedVocabulary(List<AddedToken> tokens) {
        this.tokens = tokens.stream()
                .sorted(Comparator.comparingInt((AddedToken t) -> t.content.length()).reversed())
                .toArray(AddedToken[]::new);
        for (AddedToken t : this.tokens) {
            firstChars.set(t.content.charAt(0));
        }
    }

    /**
     * The tokens of the "added_tokens" section of tokenizer.json that match on the raw text, or
     * with {@code normalizedOnes} those that match on normalized text (content normalized too).
     */
    static AddedVocabulary fromJson(JsonNode addedTokens, boolean normalizedOnes, BertNormalizer normalizer) {
        List<AddedToken> tokens = new ArrayList<>();
        for (JsonNode t : addedTokens) {
            boolean special = t.path("special").asBoolean(false);
            if (t.path("normalized").asBoolean(!special) != normalizedOnes) {
                continue;
            }
            String content = t.path("content").asText();
            if (normalizedOnes && normalizer != null) {
                content = normalizer.normalize(content);
            }
            if (!content.isEmpty()) {
                tokens.add(new AddedToken(content, t.path("id").asInt(),
                        t.path("single_word").asBoolean(false),
                        t.path("lstrip").asBoolean(false),
                        t.path("rstrip").asBoolean(false)));
            }
        }
        return new AddedVocabulary(tokens);
    }

    boolean isEmpty() {
        return tokens.length == 0;
    }

    /**
     * Appends (start, end, id) triples that cover {@code text} in order: an added token with its
     * id, or a stretch of other text with id {@link #TEXT}.
     */
    void split(String text, IntList out) {
        int done = 0;
        int i = 0;
        while (i < text.length()) {
            AddedToken match = firstChars.get(text.charAt(i)) ? longestAt(text, i) : null;
            if (match == null) {
                i++;
                continue;
            }
            int start = i;
            int stop = i + match.content.length();
            i = stop;
            if (match.singleWord && !isSingleWord(text, start, stop)) {
                continue;
            }
            if (match.lstrip) {
                start = Math.max(whitespaceRunStart(text, start), done);
            }
            if (match.rstrip) {
                stop = whitespaceRunEnd(text, stop);
            }
            if (done < start) {
                addTriple(out, done, start, TEXT);
            }
            addTriple(out, start, stop, match.id);
            done = stop;
        }
        if (done < text.length() || text.isEmpty()) {
            addTriple(out, done, text.length(), TEXT);
        }
    }

    private AddedToken longestAt(String text, int i) {
        for (AddedToken t : tokens) {
            if (text.startsWith(t.content, i)) {
                return t;
            }
        }
        return null;
    }

    private static void addTriple(IntList out, int start, int end, int id) {
        out.add(start);
        out.add(end);
        out.add(id);
    }

    /** No word character (regex \w) right before start nor right after stop. */
    private static boolean isSingleWord(String text, int start, int stop) {
        return (start == 0 || !isWordChar(text.codePointBefore(start)))
                && (stop == text.length() || !isWordChar(text.codePointAt(stop)));
    }

    /** Unicode \w: alphabetic, marks, decimal digits, connector punctuation, joiners. */
    private static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.CONNECTOR_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static int whitespaceRunStart(String text, int end) {
        int i = end;
        while (i > 0 && BertChars.isWhitespace(text.codePointBefore(i))) {
            i -= Character.charCount(text.codePointBefore(i));
        }
        return i;
    }

    private static int whitespaceRunEnd(String text, int start) {
        int i = start;
        while (i < text.length() && BertChars.isWhitespace(text.codePointAt(i))) {
            i += Character.charCount(text.codePointAt(i));
        }
        return i;
    }
}
