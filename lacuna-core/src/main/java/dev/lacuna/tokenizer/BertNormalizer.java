// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lacuna.LacunaException;
import java.text.Normalizer;

/**
 * Hugging Face's BertNormalizer, in its order: clean text, pad CJK ideographs with spaces,
 * strip accents (NFD, then drop Mn), lowercase (per code point, as Rust's char::to_lowercase).
 */
final class BertNormalizer {
    private final boolean cleanText;
    private final boolean handleChineseChars;
    private final boolean stripAccents;
    private final boolean lowercase;

    BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {
        this.cleanText = cleanText;
        this.handleChineseChars = handleChineseChars;
        this.stripAccents = stripAccents;
        this.lowercase = lowercase;
    }

    /** The "normalizer" section of tokenizer.json; null when it has none. */
    static BertNormalizer fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = node.path("type").asText();
        if (!type.equals("BertNormalizer")) {
            throw new LacunaException("unsupported tokenizer normalizer type '" + type + "' (only BertNormalizer)");
        }
        boolean lowercase = node.path("lowercase").asBoolean(true);
        JsonNode strip = node.get("strip_accents");
        boolean stripAccents = strip == null || strip.isNull() ? lowercase : strip.asBoolean();
        return new BertNormalizer(
                node.path("clean_text").asBoolean(true),
                node.path("handle_chinese_chars").asBoolean(true),
                stripAccents,
                lowercase);
    }

    String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        boolean ascii = true;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cleanText) {
                if (cp == 0 || cp == 0xFFFD || BertChars.isControl(cp)) {
                    continue;
                }
                if (BertChars.isWhitespace(cp)) {
                    cp = ' ';
                }
            }
            if (cp < 0x80) {
                // ASCII has no decomposition, so lowercasing now keeps HF's order.
                out.append((char) (lowercase && cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
                continue;
            }
            ascii = false;
            if (handleChineseChars && BertChars.isChinese(cp)) {
                out.append(' ').appendCodePoint(cp).append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        }
        if (ascii) {
            return out.toString();
        }
        String s = out.toString();
        if (stripAccents) {
            s = dropNonSpacingMarks(Normalizer.normalize(s, Normalizer.Form.NFD));
        }
        return lowercase ? lowercase(s) : s;
    }

    private static String dropNonSpacingMarks(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (!BertChars.isNonSpacingMark(cp)) {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /** Per code point, without context (no final sigma), with İ's full mapping to "i̇". */
    private static String lowercase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0x130) {
                out.append("i\u0307");
            } else {
                out.appendCodePoint(Character.toLowerCase(cp));
            }
        }
        return out.toString();
    }
}
