// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WordPieceTokenizer#chunks}: the same ids as {@link WordPieceTokenizer#encode}, each tied to the
 * whitespace-delimited chunk of normalized text it came from (the words of inference-free sparse retrieval).
 */
class ChunksTest {
    private static final int UNK = 100;
    private final WordPieceTokenizer full = TokenizerFiles.ALL_MINILM_L6_V2.load(Integer.MAX_VALUE);

    private static List<String> texts() {
        List<String> out = new ArrayList<>(TestCorpus.wikitextLines());
        out.addAll(TestCorpus.stsbDevSentences());
        out.addAll(List.of("", " ", "Héllo, WORLD! don't-stop", "naïve café résumé", "a\tb\n\nc  d", "x,y;z", "北京大学 in Beijing",
                "e-mail: foo@bar.com (2026)", "[CLS] a [SEP] b [MASK]", "\u00a0nbsp\u2003em-space", "a\uD800b"));
        return out;
    }

    @Test
    void idsAreExactlyEncodesAtEveryLength() {
        for (int maxLength : new int[] {3, 16, 128, 512}) {
            WordPieceTokenizer t = full.withMaxLength(maxLength);
            for (String text : texts()) {
                Encoding want = t.encode(text);
                WordPieceTokenizer.Chunks c = t.chunks(text);
                assertArrayEquals(want.ids(), c.encoding().ids(), text);
                assertEquals(want.truncated(), c.encoding().truncated(), text);
                assertEquals(want.length(), c.chunkOf().length, text);
            }
        }
    }

    /**
     * Each chunk's pieces, "##" dropped, spell the chunk (the normalized word with its punctuation), chunks
     * come in text order, and special tokens belong to none; a truncated text still lists all its chunks.
     */
    @Test
    void piecesOfAChunkSpellIt() {
        String[] vocab = full.vocabulary();
        int checked = 0;
        for (String text : texts()) {
            WordPieceTokenizer.Chunks c = full.chunks(text);
            int[] ids = c.encoding().ids();
            StringBuilder[] spelled = new StringBuilder[c.chunks().length];
            boolean[] unknown = new boolean[c.chunks().length];
            int last = -1;
            for (int i = 0; i < ids.length; i++) {
                int k = c.chunkOf()[i];
                if (full.isSpecial(ids[i])) assertEquals(-1, k, text);
                if (k == -1) {
                    // special tokens, and added ones written in the text ([MASK]), belong to no chunk
                    assertTrue(vocab[ids[i]].matches("\\[[A-Z]+]"), vocab[ids[i]] + " in " + text);
                    continue;
                }
                assertTrue(k >= last, "chunks in text order: " + text);
                last = k;
                if (spelled[k] == null) spelled[k] = new StringBuilder();
                String p = vocab[ids[i]];
                spelled[k].append(p.startsWith("##") ? p.substring(2) : p);
                unknown[k] |= ids[i] == UNK;
            }
            for (int k = 0; k < spelled.length; k++) {
                assertTrue(spelled[k] != null, "every chunk has pieces when nothing is cut: '" + c.chunks()[k] + "' in " + text);
                if (unknown[k]) continue;
                assertEquals(c.chunks()[k], spelled[k].toString(), text);
                checked++;
            }
        }
        assertTrue(checked > 50_000, "too few chunks checked: " + checked);

        WordPieceTokenizer.Chunks c = full.chunks("Héllo, WORLD! don't-stop naïve");
        assertArrayEquals(new String[] {"hello,", "world!", "don't-stop", "naive"}, c.chunks());
        WordPieceTokenizer.Chunks cut = full.withMaxLength(4).chunks("one two three four five");
        assertArrayEquals(new String[] {"one", "two", "three", "four", "five"}, cut.chunks());
        assertArrayEquals(new int[] {-1, 0, 1, -1}, cut.chunkOf());
        assertTrue(cut.encoding().truncated());
    }

    /** Added tokens (raw and normalized) split chunks and belong to none; the ids stay encode's. */
    @Test
    void addedTokensBelongToNoChunk() {
        byte[] json = JsonEdit.edit(TokenizerFiles.ALL_MINILM_L6_V2.bytes(), root -> {
            ArrayNode added = (ArrayNode) root.get("added_tokens");
            added.addObject().put("id", 30522).put("content", "Hello World").put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", true).put("special", false);
            added.addObject().put("id", 30523).put("content", "<Foo>").put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", false);
        });
        WordPieceTokenizer t = WordPieceTokenizer.fromJson(new java.io.ByteArrayInputStream(json), 128);
        for (String text : List.of("say HELLO WORLD now", "a<Foo>b c", "[CLS]Hello World<Foo>[SEP] tail")) {
            WordPieceTokenizer.Chunks c = t.chunks(text);
            assertArrayEquals(t.encode(text).ids(), c.encoding().ids(), text);
            for (int i = 0; i < c.chunkOf().length; i++) {
                int id = c.encoding().ids()[i];
                if (id >= 30522 || t.isSpecial(id)) assertEquals(-1, c.chunkOf()[i], text + " @" + i);
                else assertTrue(c.chunkOf()[i] >= 0, text + " @" + i);
            }
        }
        assertArrayEquals(new String[] {"say", "now"}, t.chunks("say HELLO WORLD now").chunks());
        assertArrayEquals(new String[] {"a", "b", "c"}, t.chunks("a<Foo>b c").chunks());
    }
}
