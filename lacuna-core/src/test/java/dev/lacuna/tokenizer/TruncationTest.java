// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacuna.LacunaException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Truncation keeps the first maxLength-2 pieces, then [SEP], and says so. */
class TruncationTest {
    private static final int SEP = 102;
    private final WordPieceTokenizer full = TokenizerFiles.ALL_MINILM_L6_V2.load(Integer.MAX_VALUE);

    @Test
    void cutsToFirstPiecesThenSep() {
        WordPieceTokenizer at128 = full.withMaxLength(128);
        int cut = 0;
        for (String text : TestCorpus.wikitextLines()) {
            int[] all = full.encode(text).ids();
            Encoding e = at128.encode(text);
            if (all.length <= 128) {
                assertArrayEquals(all, e.ids());
                assertFalse(e.truncated());
            } else {
                cut++;
                assertEquals(128, e.length());
                assertTrue(e.truncated());
                assertArrayEquals(Arrays.copyOf(all, 127), Arrays.copyOf(e.ids(), 127));
                assertEquals(SEP, e.ids()[127]);
            }
        }
        assertTrue(cut > 100, "too few long lines to test truncation: " + cut);
    }

    @Test
    void matchesHuggingFaceTruncation() {
        List<String> lines = TestCorpus.wikitextLines();
        for (int maxLength : new int[] {3, 16, 128, 512}) {
            WordPieceTokenizer ours = full.withMaxLength(maxLength);
            try (HfReference hf = new HfReference(TokenizerFiles.ALL_MINILM_L6_V2.bytes(), maxLength)) {
                int[][] expected = hf.encodeAll(lines);
                for (int i = 0; i < lines.size(); i++) {
                    assertArrayEquals(expected[i], ours.encode(lines.get(i)).ids(), lines.get(i));
                }
            }
        }
    }

    @Test
    void exactFitIsNotTruncated() {
        // "a" is one piece: 126 of them fill 128 tokens exactly, 127 do not fit.
        WordPieceTokenizer at128 = full.withMaxLength(128);
        Encoding fits = at128.encode("a ".repeat(126));
        assertEquals(128, fits.length());
        assertFalse(fits.truncated());
        Encoding over = at128.encode("a ".repeat(127));
        assertEquals(128, over.length());
        assertTrue(over.truncated());
        assertEquals(SEP, over.ids()[127]);
    }

    @Test
    void hugeText() {
        StringBuilder text = new StringBuilder();
        for (String line : TestCorpus.wikitextLines()) {
            if (text.length() >= 100_000) {
                break;
            }
            text.append(line).append('\n');
        }
        String huge = text.substring(0, 100_000);
        int[] all = full.encode(huge).ids();
        for (int maxLength : new int[] {128, 512}) {
            Encoding e = full.withMaxLength(maxLength).encode(huge);
            assertTrue(e.truncated());
            assertEquals(maxLength, e.length());
            assertArrayEquals(Arrays.copyOf(all, maxLength - 1), Arrays.copyOf(e.ids(), maxLength - 1));
            assertEquals(SEP, e.ids()[maxLength - 1]);
        }
        try (HfReference hf = new HfReference(TokenizerFiles.ALL_MINILM_L6_V2.bytes())) {
            assertArrayEquals(hf.encode(huge), all);
        }
    }

    @Test
    void emptyTextIsClsSep() {
        Encoding e = full.withMaxLength(128).encode("");
        assertArrayEquals(new int[] {101, 102}, e.ids());
        assertFalse(e.truncated());
    }

    @Test
    void maxLengthMustLeaveRoomForText() {
        assertEquals(3, full.withMaxLength(3).encode("hello world").length());
        LacunaException e = assertThrows(LacunaException.class, () -> full.withMaxLength(2));
        assertTrue(e.getMessage().contains("max length 2"), e.getMessage());
    }

    @Test
    void accessors() {
        WordPieceTokenizer t = full.withMaxLength(256);
        assertEquals(256, t.maxLength());
        assertEquals(0, t.padId());
    }
}
