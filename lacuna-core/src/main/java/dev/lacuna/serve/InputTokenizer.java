// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import dev.lacuna.tokenizer.Encoding;
import dev.lacuna.tokenizer.Tokenizer;
import dev.lacuna.tokenizer.WordPieceTokenizer;

import java.util.Arrays;

/**
 * Texts and token-id lists to the ids the model runs on, under {@code --max-input-tokens}: longer inputs
 * are refused (413) unless the request asks for truncation, which keeps the special tokens and cuts
 * the text's own tokens on the right (as {@code lacuna embed} does) or on the left.
 */
final class InputTokenizer {
    enum Direction { LEFT, RIGHT }

    private final Tokenizer limited;
    private final Tokenizer unlimited;
    private final int maxTokens;
    private final int vocabSize;

    /** @param vocabSize ids of token-id inputs must be below it */
    InputTokenizer(Tokenizer tokenizer, int maxTokens, int vocabSize) {
        this.limited = tokenizer.withMaxLength(maxTokens);
        this.unlimited = tokenizer.withMaxLength(Integer.MAX_VALUE / 2);
        this.maxTokens = maxTokens;
        this.vocabSize = vocabSize;
    }

    int maxTokens() {
        return maxTokens;
    }

    /** Ids of {@code text}, special tokens included; {@code where} names the input in errors. */
    int[] text(String text, boolean truncate, Direction dir, String where) {
        if (text.isEmpty()) throw new ApiError(ApiError.Kind.EMPTY, where + " is an empty string");
        Encoding e = limited.encode(text);
        if (!e.truncated()) return e.ids();
        if (!truncate) throw tooLong(where, unlimited.encode(text).length());
        if (dir == Direction.RIGHT) return e.ids();
        return keepLast(unlimited.encode(text).ids());
    }

    /** Token-id input taken as given (special tokens are not added); ids must be in the vocabulary. */
    int[] ids(int[] ids, boolean truncate, String where) {
        if (ids.length == 0) throw new ApiError(ApiError.Kind.EMPTY, where + " is an empty token list");
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new ApiError(ApiError.Kind.INVALID, where + "[" + i + "] = " + ids[i] + " is not a token id of this model (0.." + (vocabSize - 1) + ")");
            }
        }
        if (ids.length <= maxTokens) return ids;
        if (!truncate) throw tooLong(where, ids.length);
        return Arrays.copyOf(ids, maxTokens);
    }

    private ApiError tooLong(String where, int tokens) {
        return new ApiError(ApiError.Kind.TOO_LARGE, where + " has " + tokens + " tokens, more than the limit of " + maxTokens
                + " (--max-input-tokens); send truncate=true to cut it");
    }

    /** The leading and trailing special tokens and the last text tokens that fit between them. */
    private int[] keepLast(int[] all) {
        int head = 0;
        int tail = 0;
        if (limited instanceof WordPieceTokenizer wp) {
            while (head < all.length && wp.isSpecial(all[head])) head++;
            while (tail < all.length - head && wp.isSpecial(all[all.length - 1 - tail])) tail++;
        }
        int body = Math.max(0, maxTokens - head - tail);
        int[] out = new int[head + body + tail];
        System.arraycopy(all, 0, out, 0, head);
        System.arraycopy(all, all.length - tail - body, out, head, body);
        System.arraycopy(all, all.length - tail, out, head + body, tail);
        return out;
    }
}
