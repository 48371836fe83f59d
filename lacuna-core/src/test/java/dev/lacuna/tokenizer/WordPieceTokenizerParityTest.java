// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our ids equal Hugging Face's, untruncated, on real text and on hard cases, for both models. */
class WordPieceTokenizerParityTest {
    /** Texts that exercise each step of the pipeline. */
    static final List<String> HARD_CASES = List.of(
            "",
            " ",
            "\t\n\r ",
            "Hello, world!",
            "Café naïve résumé façade Ångström",
            "CAFÉ NAÏVE ÉCOLE",
            "don't won't it's 'quoted' \"double\"",
            "multiple   spaces\tand\ttabs\nand\r\nnewlines",
            "中文字符测试 日本語のテキスト 한국어 텍스트",
            "mixed中文english混合",
            "emoji 😀🎉👍🏽 family 👨‍👩‍👧 flags 🇫🇷",
            "math 𝔸𝔹ℂ 𝒳 and ancient 𐍈 surrogates",
            "control\u0000chars\u0001here\u007F\u0085\u200B\u200D\uFEFF\uFFFD end",
            "nbsp\u00A0thin\u2009ideographic\u3000space\u2028line\u2029para",
            "İstanbul ΟΔΟΣ σίσυφος Straße ǅemal ﬁne",
            "e\u0301 versus é, n\u0303 versus ñ",
            "Ελληνικά Русский текст עברית العربية हिन्दी ไทย",
            "x".repeat(100),
            "y".repeat(101),
            "supercalifragilisticexpialidocious" + "abc".repeat(30),
            "é".repeat(101),
            "😀".repeat(60),
            "punctuation...!?;:—–-‐‘’“”«»¿¡§¶†‡•…‰′″",
            "$100 + 20% = <tag> ^caret `tick` |pipe| ~tilde~ @at #hash",
            "[CLS] special [SEP] tokens [MASK] in [PAD] text [UNK]",
            "[cls] lower [mask] special[MASK]glued[SEP]",
            "[MASK][MASK] [ MASK ] [[MASK]]",
            "unaffable unbelievably tokenization antidisestablishmentarianism",
            "numbers 3.14159 1,000,000 2024-01-01 v1.2.3",
            "email user@example.com url https://example.com/path?q=1&r=2",
            "\uD800 lone \uDC00 surrogates",
            "private use \uE000\uF8FF and unassigned \u0378",
            "combining only \u0301\u0302 and ZWJ \u200D alone");

    private static final List<HfReference> REFERENCES = new ArrayList<>();

    @BeforeAll
    static void open() {
        for (TokenizerFiles file : TokenizerFiles.values()) {
            REFERENCES.add(new HfReference(file.bytes()));
        }
    }

    @AfterAll
    static void close() {
        REFERENCES.forEach(HfReference::close);
    }

    @ParameterizedTest
    @EnumSource(TokenizerFiles.class)
    void stsbDevSentences(TokenizerFiles file) {
        assertParity(file, "STS-B dev", TestCorpus.stsbDevSentences());
    }

    @ParameterizedTest
    @EnumSource(TokenizerFiles.class)
    void wikitextLines(TokenizerFiles file) {
        assertParity(file, "WikiText-2 valid", TestCorpus.wikitextLines());
    }

    @ParameterizedTest
    @EnumSource(TokenizerFiles.class)
    void hardCases(TokenizerFiles file) {
        // Lone surrogates cannot cross into Rust intact: compare only the well-formed cases.
        List<String> wellFormed = HARD_CASES.stream().filter(WordPieceTokenizerParityTest::wellFormed).toList();
        assertParity(file, "hard cases", wellFormed);
    }

    private static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void assertParity(TokenizerFiles file, String corpus, List<String> texts) {
        WordPieceTokenizer ours = file.load(Integer.MAX_VALUE);
        int[][] expected = REFERENCES.get(file.ordinal()).encodeAll(texts);
        List<String> mismatches = new ArrayList<>();
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            Encoding actual = ours.encode(texts.get(i));
            assertFalse(actual.truncated());
            tokens += actual.length();
            if (!Arrays.equals(expected[i], actual.ids())) {
                mismatches.add("text: " + texts.get(i) + "\n  hf:   " + Arrays.toString(expected[i])
                        + "\n  ours: " + Arrays.toString(actual.ids()));
            }
        }
        System.out.printf("parity %s / %s: %d texts, %d tokens, %d mismatches%n",
                file.resource, corpus, texts.size(), tokens, mismatches.size());
        assertEquals(0, mismatches.size(), () -> String.join("\n", mismatches.subList(0, Math.min(5, mismatches.size()))));
    }
}
