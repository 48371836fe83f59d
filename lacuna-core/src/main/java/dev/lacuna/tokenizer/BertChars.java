// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

/**
 * Character classes of Hugging Face's BERT normalizer and pre-tokenizer, on code points.
 * Whitespace is Rust's {@code char::is_whitespace} (Unicode White_Space), not Java's; the
 * other classes follow HF's older Unicode tables ({@link LegacyUnicode}).
 */
final class BertChars {
    private BertChars() {}

    /** Unicode White_Space; \t, \n and \r included. */
    static boolean isWhitespace(int cp) {
        if (cp <= 0x20) {
            return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
        }
        if (cp < 0x85) {
            return false;
        }
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Removed by clean_text: Cc, Cf and Co, except \t, \n and \r (whitespace). */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        if (cp < 0x7F) {
            return cp < 0x20;
        }
        int type = Character.getType(cp);
        return (type == Character.CONTROL || type == Character.FORMAT
                || type == Character.PRIVATE_USE || type == Character.SURROGATE)
                && !LegacyUnicode.isUnknown(cp);
    }

    /** ASCII punctuation (including $+<=>^`| which Unicode calls symbols) or Unicode P*. */
    static boolean isPunctuation(int cp) {
        if (cp < 0x80) {
            return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64)
                    || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION,
                 Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> !LegacyUnicode.isUnknown(cp);
            default -> LegacyUnicode.isLegacyPunctuation(cp);
        };
    }

    /** CJK ideographs that BERT isolates like punctuation; HF starts Extension E at U+2B920, not U+2B820. */
    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** Mn: dropped after NFD by strip_accents. */
    static boolean isNonSpacingMark(int cp) {
        if (Character.getType(cp) == Character.NON_SPACING_MARK) {
            return !LegacyUnicode.isUnknown(cp) && !LegacyUnicode.isLegacyPunctuation(cp);
        }
        return LegacyUnicode.isLegacyNonSpacingMark(cp);
    }
}
