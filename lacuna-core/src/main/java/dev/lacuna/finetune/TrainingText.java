// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.finetune;

import dev.lacuna.LacunaException;
import dev.lacuna.eval.Stsb;
import dev.lacuna.eval.StsbPair;
import dev.lacuna.io.EmbeddedText;
import dev.lacuna.io.TextLines;
import dev.lacuna.tokenizer.Encoding;
import dev.lacuna.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The unlabeled text a distill step trains on: the embedded English Europarl sentences outside the
 * slice that {@code sparsify} holds out for evaluation, plus, when given, lines of text files
 * (WikiText-2's {@code @-@} joins undone, headings skipped) and both sentences of STS-B train pairs.
 * Never STS-B dev or test: the caller passes only train files.
 */
public final class TrainingText {
    /** Where sparsify's held-out texts begin in the embedded sentences ({@code EmbeddedText.englishSentences(4000, n)}). */
    public static final int EVAL_SKIP = 4000;

    private TrainingText() {}

    /** Embedded sentences before the held-out slice and after {@code EVAL_SKIP + heldOut}, at most {@code max}. */
    public static List<String> embedded(int heldOut, int max) {
        List<String> out = new ArrayList<>(EmbeddedText.englishSentences(0, Math.min(EVAL_SKIP, max)));
        if (out.size() < max) out.addAll(EmbeddedText.englishSentences(EVAL_SKIP + heldOut, max - out.size()));
        return out;
    }

    /** Lines of at least 20 characters of a text file, WikiText headings ({@code = Title =}) skipped, {@code @-@}-style joins undone. */
    public static List<String> fromFile(Path file) {
        List<String> out = new ArrayList<>();
        for (String line : TextLines.readFile(file).split("\r?\n")) {
            String t = line.strip();
            if (t.length() < 20 || (t.startsWith("=") && t.endsWith("="))) continue;
            out.add(t.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", "."));
        }
        if (out.isEmpty()) throw new LacunaException(file + ": no usable training text (need lines of at least 20 characters)");
        return out;
    }

    /** Both sentences of every pair of an STS-B train CSV, each once. */
    public static List<String> fromStsb(Path file) {
        Set<String> s = new LinkedHashSet<>();
        for (StsbPair p : Stsb.read(file)) {
            s.add(p.sentence1());
            s.add(p.sentence2());
        }
        return new ArrayList<>(s);
    }

    /** Token ids of each text truncated to {@code maxTokens}; texts of fewer than 2 word pieces are dropped. */
    public static List<int[]> tokenize(Tokenizer tok, List<String> texts, int maxTokens) {
        Tokenizer t = tok.withMaxLength(Math.min(maxTokens, tok.maxLength()));
        List<int[]> ids = new ArrayList<>(texts.size());
        for (String s : texts) {
            Encoding e = t.encode(s);
            if (e.length() > 3) ids.add(e.ids());
        }
        if (ids.isEmpty()) throw new LacunaException("distill: no usable training text");
        return ids;
    }
}
