// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups of whole-word vocabulary tokens that BM25's English analysis (Porter stemming) maps to the same
 * stem: wing, wings, winged. A document's weight on one member can be shared with the others, so a
 * model-free WordPiece query for "wings" finds a document that says "wing", as BM25 does (this model
 * has no MLM head to expand documents with). Word pieces ({@code ##...}), special tokens, stop words and
 * tokens with no letter are in no group; groups of one are dropped.
 *
 * <p>Shapes: V vocabulary size.
 */
final class StemVariants {
    private final int[] group;        // [V] group of each vocabulary id, -1 for none
    private final int[][] members;    // [groups] vocabulary ids, ascending

    private StemVariants(int[] group, int[][] members) {
        this.group = group;
        this.members = members;
    }

    /** No groups: the head without variant sharing. */
    static StemVariants none(int vocabSize) {
        int[] g = new int[vocabSize];
        Arrays.fill(g, -1);
        return new StemVariants(g, new int[0][]);
    }

    static StemVariants of(String[] vocab) {
        Analyzer a = Fields.analyzer();
        Map<String, List<Integer>> byStem = new HashMap<>();
        for (int v = 0; v < vocab.length; v++) {
            String t = vocab[v];
            if (t.startsWith("##") || t.startsWith("[") || !t.chars().anyMatch(Character::isLetter)) continue;
            String stem = stem(a, t);
            if (stem != null) byStem.computeIfAbsent(stem, k -> new ArrayList<>()).add(v);
        }
        return of(vocab.length, byStem.values());
    }

    /** From explicit groups (tests). */
    static StemVariants of(int vocabSize, Iterable<List<Integer>> groups) {
        int[] g = new int[vocabSize];
        Arrays.fill(g, -1);
        List<int[]> ms = new ArrayList<>();
        for (List<Integer> l : groups) {
            if (l.size() < 2) continue;
            int[] m = l.stream().mapToInt(Integer::intValue).sorted().toArray();
            ms.add(m);
        }
        ms.sort((x, y) -> Integer.compare(x[0], y[0]));   // deterministic group numbers
        for (int k = 0; k < ms.size(); k++) for (int v : ms.get(k)) g[v] = k;
        return new StemVariants(g, ms.toArray(int[][]::new));
    }

    private static String stem(Analyzer a, String token) {
        try (TokenStream ts = a.tokenStream(Fields.TEXT, token)) {
            CharTermAttribute c = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            String out = ts.incrementToken() ? c.toString() : null;
            if (out != null && ts.incrementToken()) out = null;   // a token the analyser splits: not one word
            ts.end();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The other members of {@code id}'s group (empty when it has none). */
    int[] others(int id) {
        int g = group[id];
        if (g < 0) return new int[0];
        int[] m = members[g];
        int[] out = new int[m.length - 1];
        int k = 0;
        for (int v : m) if (v != id) out[k++] = v;
        return out;
    }

    int groups() {
        return members.length;
    }

    int vocabSize() {
        return group.length;
    }
}
