// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Hugging Face's own tokenizer (Rust, through DJL), without padding. */
final class HfReference implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    /** Without truncation. */
    HfReference(byte[] tokenizerJson) {
        this(tokenizerJson, Map.of("truncation", "false", "padding", "false"), "DO_NOT_TRUNCATE");
    }

    /** Truncating at {@code maxLength} tokens, special tokens included. */
    HfReference(byte[] tokenizerJson, int maxLength) {
        this(tokenizerJson, Map.of("truncation", "true", "padding", "false", "maxLength", String.valueOf(maxLength)),
                "LONGEST_FIRST");
    }

    private HfReference(byte[] tokenizerJson, Map<String, String> options, String truncation) {
        try (InputStream in = new ByteArrayInputStream(tokenizerJson)) {
            tokenizer = HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!tokenizer.getTruncation().equals(truncation) || !tokenizer.getPadding().equals("DO_NOT_PAD")) {
            throw new IllegalStateException("reference tokenizer is not configured as asked: "
                    + tokenizer.getTruncation() + ", " + tokenizer.getPadding());
        }
    }

    int[] encode(String text) {
        return toInts(tokenizer.encode(text).getIds());
    }

    int[][] encodeAll(List<String> texts) {
        var encodings = tokenizer.batchEncode(texts);
        int[][] ids = new int[encodings.length][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = toInts(encodings[i].getIds());
        }
        return ids;
    }

    private static int[] toInts(long[] ids) {
        return Arrays.stream(ids).mapToInt(Math::toIntExact).toArray();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
