// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.finetune;

import dev.lacuna.LacunaException;
import dev.lacuna.eval.Stsb;
import dev.lacuna.eval.StsbPair;
import dev.lacuna.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sentence pairs with gold similarity scores, tokenised, for the supervised {@code cosent} loss of a
 * distill step: STS-B train pairs (never dev or test: the caller passes only a train file).
 *
 * @param first  token ids of each pair's first sentence, special tokens included
 * @param second token ids of its second
 * @param scores gold scores, one per pair
 */
public record ScoredPairs(List<int[]> first, List<int[]> second, double[] scores) {
    public ScoredPairs {
        first = List.copyOf(first);
        second = List.copyOf(second);
        scores = scores.clone();
        if (first.size() != second.size() || first.size() != scores.length) {
            throw new IllegalArgumentException("pairs: " + first.size() + " first, " + second.size() + " second, " + scores.length + " scores");
        }
    }

    public int size() {
        return scores.length;
    }

    /** The pairs of an STS-B CSV, each sentence truncated to {@code maxTokens}; needs at least two distinct scores. */
    public static ScoredPairs fromStsb(Tokenizer tok, Path file, int maxTokens) {
        Tokenizer t = tok.withMaxLength(Math.min(maxTokens, tok.maxLength()));
        List<int[]> a = new ArrayList<>(), b = new ArrayList<>();
        List<StsbPair> pairs = Stsb.read(file);
        double[] y = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            a.add(t.encode(pairs.get(i).sentence1()).ids());
            b.add(t.encode(pairs.get(i).sentence2()).ids());
            y[i] = pairs.get(i).score();
        }
        if (java.util.Arrays.stream(y).distinct().count() < 2) {
            throw new LacunaException(file + ": the cosent loss needs pairs of at least two different scores");
        }
        return new ScoredPairs(a, b, y);
    }
}
