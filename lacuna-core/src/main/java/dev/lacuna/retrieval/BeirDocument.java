// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

/** One corpus document of a BEIR collection. */
public record BeirDocument(String id, String title, String text) {
    /** What the encoders and BM25 see: {@code title + " " + text} (as BEIR's dense evaluation does), or the text alone. */
    public String fullText() {
        if (title == null || title.isBlank()) return text;
        if (text == null || text.isBlank()) return title;
        return title + " " + text;
    }
}
