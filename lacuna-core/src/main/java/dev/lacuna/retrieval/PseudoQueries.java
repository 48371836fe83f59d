// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Training queries made from the corpus itself, never from its real queries or judgements: per
 * document its title (where it has one) and one sentence of its text that is not the title, picked
 * at random (seeded) among those of at least 4 words and cut to {@link #MAX_WORDS} words. A text
 * equal to one already made (case-insensitive) is dropped.
 */
final class PseudoQueries {
    static final int MAX_WORDS = 16;

    /** A pseudo-query and the corpus position of the document it was made from. */
    record Query(int doc, String text) {}

    private PseudoQueries() {}

    static List<Query> of(List<BeirDocument> docs, long seed) {
        Random r = new Random(seed);
        Set<String> seen = new HashSet<>();
        List<Query> out = new ArrayList<>();
        for (int d = 0; d < docs.size(); d++) {
            BeirDocument doc = docs.get(d);
            String title = doc.title() == null ? "" : doc.title().strip();
            if (words(title) >= 1 && seen.add(key(title))) out.add(new Query(d, cut(title)));
            List<String> sentences = new ArrayList<>();
            String text = doc.text() == null ? "" : doc.text();
            for (String s : text.split("(?<=[.?!;])\\s+")) {
                String t = s.strip();
                if (words(t) >= 4 && !key(t).equals(key(title))) sentences.add(t);
            }
            if (sentences.isEmpty()) continue;
            String pick = cut(sentences.get(r.nextInt(sentences.size())));
            if (seen.add(key(pick))) out.add(new Query(d, pick));
        }
        return out;
    }

    private static String key(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    private static int words(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    private static String cut(String s) {
        String[] w = s.strip().split("\\s+");
        return w.length <= MAX_WORDS ? s.strip() : String.join(" ", java.util.Arrays.copyOf(w, MAX_WORDS));
    }
}
