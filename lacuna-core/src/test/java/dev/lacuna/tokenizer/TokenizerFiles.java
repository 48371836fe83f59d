// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The tokenizer.json files of the embedded models, read from the classpath. */
enum TokenizerFiles {
    ALL_MINILM_L6_V2("all-minilm-l6-v2-tokenizer.json"),
    BGE_SMALL_EN_V15("bge-small-en-v1.5-q-tokenizer.json");

    final String resource;

    TokenizerFiles(String resource) {
        this.resource = resource;
    }

    byte[] bytes() {
        try (InputStream in = TokenizerFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource not on the classpath: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WordPieceTokenizer load(int maxLength) {
        return WordPieceTokenizer.fromJson(new java.io.ByteArrayInputStream(bytes()), maxLength);
    }
}
