// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Unicode code point, inside a word and alone, gives Hugging Face's ids: this pins the
 * character classes (control, whitespace, punctuation, CJK, Mn) and the per-char lowercasing.
 */
class CodePointSweepTest {
    /** Code points per text. */
    private static final int GROUP = 16;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyCodePointMatchesHuggingFace(boolean cased) {
        byte[] json = cased ? JsonEdit.cased() : TokenizerFiles.ALL_MINILM_L6_V2.bytes();
        WordPieceTokenizer ours = WordPieceTokenizer.fromJson(new ByteArrayInputStream(json), Integer.MAX_VALUE);
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        try (HfReference hf = new HfReference(json)) {
            List<String> batch = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int group = 0;
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
                if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                    // Words apart, so the code points of one text do not interact.
                    String c = Character.toString(cp);
                    text.append(" x").append(c).append("y ").append(c);
                    compared++;
                    group++;
                }
                if (group == GROUP || cp == Character.MAX_CODE_POINT) {
                    batch.add(text.toString());
                    text.setLength(0);
                    group = 0;
                }
                if (batch.size() == 4096 || cp == Character.MAX_CODE_POINT) {
                    int[][] expected = hf.encodeAll(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        int[] actual = ours.encode(batch.get(i)).ids();
                        if (!Arrays.equals(expected[i], actual)) {
                            mismatches.add(describe(batch.get(i), expected[i], actual));
                        }
                    }
                    batch.clear();
                }
            }
        }
        System.out.printf("code point sweep (%s): %d code points compared, %d mismatching groups%n",
                cased ? "cased" : "uncased", compared, mismatches.size());
        mismatches.stream().limit(200).forEach(System.out::println);
        assertEquals(0, mismatches.size(), () -> String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
    }

    private static String describe(String text, int[] expected, int[] actual) {
        int first = text.codePointAt(2);
        int last = text.codePointBefore(text.length());
        return String.format("U+%04X..U+%04X hf=%s ours=%s", first, last, Arrays.toString(expected), Arrays.toString(actual));
    }
}
