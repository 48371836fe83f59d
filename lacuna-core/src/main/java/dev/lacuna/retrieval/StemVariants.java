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
 * tokens with no letter are in no group; groups of one are dropped. The whole-word tokens the analysis
 * drops entirely are its stop words ({@link #stop}), which get no document weight, as BM25 gives them none.
 *
 * <p>Shapes: V vocabulary size.
 */
final class StemVariants {
    private final int[] group;        // [V] group of each vocabulary id, -1 for none
    private final int[][] members;    // [groups] vocabulary ids, ascending
    private final boolean[] stop;     // [V] the English analysis drops the token (a stop word)

    private StemVariants(int[] group, int[][] members, boolean[] stop) {
        this.group = group;
        this.members = members;
        this.stop = stop;
    }

    /** No groups: the head without variant sharing. */
    static StemVariants none(int vocabSize) {
        int[] g = new int[vocabSize];
        Arrays.fill(g, -1);
        return new StemVariants(g, new int[0][], new boolean[vocabSize]);
    }

    static StemVariants of(String[] vocab) {
        Analyzer a = Fields.analyzer();
        Map<String, List<Integer>> byStem = new HashMap<>();
        boolean[] stop = new boolean[vocab.length];
        for (int v = 0; v < vocab.length; v++) {
            String t = vocab[v];
            if (t.startsWith("##") || t.startsWith("[") || !t.chars().anyMatch(Character::isLetter)) continue;
            String[] stem = stem(a, t);
            if (stem.length == 0) stop[v] = true;
            else if (stem.length == 1) byStem.computeIfAbsent(stem[0], k -> new ArrayList<>()).add(v);
        }
        return of(vocab.length, byStem.values(), stop);
    }

    /** From explicit groups (tests). */
    static StemVariants of(int vocabSize, Iterable<List<Integer>> groups) {
        return of(vocabSize, groups, new boolean[vocabSize]);
    }

    private static StemVariants of(int vocabSize, Iterable<List<Integer>> groups, boolean[] stop) {
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
        return new StemVariants(g, ms.toArray(int[][]::new), stop);
    }

    /** The analysed terms of one token: none for a stop word, one for a word, more when the analyser splits it. */
    private static String[] stem(Analyzer a, String token) {
        List<String> out = new ArrayList<>(1);
        try (TokenStream ts = a.tokenStream(Fields.TEXT, token)) {
            CharTermAttribute c = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) out.add(c.toString());
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toArray(String[]::new);
    }

    /** Whether the English analysis drops vocabulary id {@code id} (a stop word). */
    boolean stop(int id) {
        return stop[id];
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
