// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lacuna.LacunaException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Other tokenizer.json configurations give Hugging Face's ids; unsupported ones are refused clearly. */
class TokenizerConfigTest {
    private static final List<String> TEXTS = List.of(
            "", "Hello, World! Café naïve 中文 don't", "[CLS] a [MASK] b[SEP]c", "  Tabs\tand\nNEWLINES  ",
            "The quick brown fox jumps over the lazy dog.", "ÉCOLE Ångström ﬁne ΟΔΟΣ");

    @Test
    void casedNormalizer() {
        assertParity(JsonEdit.cased());
    }

    @Test
    void stripAccentsWithoutLowercase() {
        assertParity(edit(root -> ((ObjectNode) root.get("normalizer")).put("lowercase", false).put("strip_accents", true)));
    }

    @Test
    void lowercaseWithoutStripAccents() {
        assertParity(edit(root -> ((ObjectNode) root.get("normalizer")).put("strip_accents", false)));
    }

    @Test
    void noCleanTextNorChineseChars() {
        assertParity(edit(root -> ((ObjectNode) root.get("normalizer"))
                .put("clean_text", false).put("handle_chinese_chars", false)));
    }

    @Test
    void noNormalizer() {
        assertParity(edit(root -> root.putNull("normalizer")));
    }

    @Test
    void noPreTokenizer() {
        assertParity(edit(root -> root.putNull("pre_tokenizer")));
    }

    @Test
    void noPostProcessor() {
        assertParity(edit(root -> root.putNull("post_processor")));
    }

    @Test
    void bertProcessing() {
        assertParity(edit(root -> {
            ObjectNode p = root.putObject("post_processor").put("type", "BertProcessing");
            p.putArray("sep").add("[SEP]").add(102);
            p.putArray("cls").add("[CLS]").add(101);
        }));
    }

    @Test
    void shortWordLimit() {
        assertParity(edit(root -> ((ObjectNode) root.get("model")).put("max_input_chars_per_word", 5)));
    }

    @Test
    void addedTokenOptions() {
        byte[] json = edit(root -> {
            ArrayNode added = (ArrayNode) root.get("added_tokens");
            for (var t : added) {
                if (t.get("content").asText().equals("[MASK]")) {
                    ((ObjectNode) t).put("lstrip", true).put("rstrip", true);
                }
                if (t.get("content").asText().equals("[SEP]")) {
                    ((ObjectNode) t).put("single_word", true);
                }
            }
            added.addObject().put("id", 30522).put("content", "Hello World").put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", true).put("special", false);
            added.addObject().put("id", 30523).put("content", "<Foo>").put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", false);
        });
        assertParity(json, List.of(
                "a [MASK] b", "a   [MASK]\t\tb", "[MASK][MASK]  [MASK]", "x[SEP]y", "x [SEP] y", "[SEP]y [SEP]",
                "say HELLO WORLD now", "hello worldly", "Hello World[MASK]hello world", "<Foo> <foo> a<Foo>b",
                "[CLS]Hello World<Foo>[SEP]"));
    }

    @Test
    void refusesUnsupportedTypes() {
        assertRefused(root -> ((ObjectNode) root.get("normalizer")).put("type", "Lowercase"), "Lowercase");
        assertRefused(root -> ((ObjectNode) root.get("pre_tokenizer")).put("type", "Whitespace"), "Whitespace");
        assertRefused(root -> ((ObjectNode) root.get("model")).put("type", "BPE"), "BPE");
        assertRefused(root -> ((ObjectNode) root.get("post_processor")).put("type", "RobertaProcessing"),
                "RobertaProcessing");
        assertRefused(root -> root.remove("model"), "null");
        assertRefused(root -> ((ObjectNode) root.get("model")).put("unk_token", "<nope>"), "<nope>");
    }

    @Test
    void refusesBadFiles(@TempDir Path dir) throws Exception {
        LacunaException notJson = assertThrows(LacunaException.class, () -> WordPieceTokenizer.fromJson(
                new ByteArrayInputStream("{\"model\": ".getBytes(StandardCharsets.UTF_8)), 128));
        assertOneLine(notJson);
        LacunaException missing = assertThrows(LacunaException.class,
                () -> WordPieceTokenizer.fromJson(dir.resolve("missing.json"), 128));
        assertTrue(missing.getMessage().contains("missing.json"), missing.getMessage());
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, TokenizerFiles.BGE_SMALL_EN_V15.bytes());
        assertArrayEquals(new int[] {101, 7592, 102}, WordPieceTokenizer.fromJson(file, 128).encode("hello").ids());
    }

    @Test
    void lonelySurrogatesAreCleanedAway() {
        WordPieceTokenizer t = TokenizerFiles.ALL_MINILM_L6_V2.load(128);
        assertArrayEquals(t.encode("ab cd").ids(), t.encode("a\uD800b c\uDC00d").ids());
    }

    private static byte[] edit(Consumer<ObjectNode> change) {
        return JsonEdit.edit(TokenizerFiles.ALL_MINILM_L6_V2.bytes(), change);
    }

    private static void assertRefused(Consumer<ObjectNode> change, String named) {
        byte[] json = edit(change);
        LacunaException e = assertThrows(LacunaException.class,
                () -> WordPieceTokenizer.fromJson(new ByteArrayInputStream(json), 128));
        assertTrue(e.getMessage().contains(named), e.getMessage());
        assertOneLine(e);
    }

    private static void assertOneLine(LacunaException e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static void assertParity(byte[] json) {
        assertParity(json, TEXTS);
    }

    private static void assertParity(byte[] json, List<String> texts) {
        WordPieceTokenizer ours = WordPieceTokenizer.fromJson(new ByteArrayInputStream(json), Integer.MAX_VALUE);
        try (HfReference hf = new HfReference(json)) {
            for (String text : texts) {
                assertArrayEquals(hf.encode(text), ours.encode(text).ids(), text);
            }
        }
    }

}
