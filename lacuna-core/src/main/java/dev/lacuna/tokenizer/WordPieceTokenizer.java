// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.io.IoProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A BERT WordPiece tokenizer read from a Hugging Face tokenizer.json, giving the same ids as
 * Hugging Face's tokenizers: added tokens, BertNormalizer, BertPreTokenizer, WordPiece, then
 * the post-processor's special tokens. The file's own truncation and padding are ignored: it
 * truncates at {@link #maxLength()} and never pads. Immutable and thread-safe.
 */
public final class WordPieceTokenizer implements Tokenizer {
    private final AddedVocabulary rawAddedTokens;
    private final AddedVocabulary normalizedAddedTokens;
    private final BertNormalizer normalizer;
    private final BertPreTokenizer preTokenizer;
    private final WordPieceModel model;
    private final SpecialTokenTemplate template;
    private final int padId;
    private final int maxLength;

    private WordPieceTokenizer(AddedVocabulary rawAddedTokens, AddedVocabulary normalizedAddedTokens,
            BertNormalizer normalizer, BertPreTokenizer preTokenizer, WordPieceModel model,
            SpecialTokenTemplate template, int padId, int maxLength) {
        if (maxLength <= template.count()) {
            throw new LacunaException("max length " + maxLength + " leaves no room for text: the special tokens alone take "
                    + template.count());
        }
        this.rawAddedTokens = rawAddedTokens;
        this.normalizedAddedTokens = normalizedAddedTokens;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.template = template;
        this.padId = padId;
        this.maxLength = maxLength;
    }

    /** Reads a tokenizer.json file. */
    public static WordPieceTokenizer fromJson(Path path, int maxLength) {
        try (InputStream in = Files.newInputStream(path)) {
            return fromJson(in, maxLength);
        } catch (IOException e) {
            throw new LacunaException(path + ": cannot read tokenizer (" + IoProblem.describe(e) + ")", e);
        } catch (LacunaException e) {
            throw new LacunaException(path + ": " + e.getMessage(), e);
        }
    }

    /** Reads tokenizer.json content; does not close {@code json}. */
    public static WordPieceTokenizer fromJson(InputStream json, int maxLength) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new LacunaException("tokenizer.json is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new LacunaException("cannot read tokenizer.json: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new LacunaException("tokenizer.json is not a JSON object");
        }
        WordPieceModel model = WordPieceModel.fromJson(root.get("model"));
        BertNormalizer normalizer = BertNormalizer.fromJson(root.get("normalizer"));
        BertPreTokenizer preTokenizer = BertPreTokenizer.fromJson(root.get("pre_tokenizer"));
        SpecialTokenTemplate template = SpecialTokenTemplate.fromJson(root.get("post_processor"));
        JsonNode added = root.path("added_tokens");
        Integer pad = model.id("[PAD]");
        int padId = pad != null ? pad : root.path("padding").path("pad_id").asInt(0);
        return new WordPieceTokenizer(
                AddedVocabulary.fromJson(added, false, normalizer),
                AddedVocabulary.fromJson(added, true, normalizer),
                normalizer, preTokenizer, model, template, padId, maxLength);
    }

    @Override
    public Encoding encode(String text) {
        int budget = maxLength - template.count();
        // One id past the budget is enough to know the text was truncated.
        int limit = (int) Math.min(Integer.MAX_VALUE, budget + 1L);
        IntList ids = new IntList(Math.min(limit, text.length() / 4 + 8));
        IntList scratch = new IntList(16);
        if (rawAddedTokens.isEmpty()) {
            appendText(text, ids, scratch, limit);
        } else {
            IntList pieces = new IntList(6);
            rawAddedTokens.split(text, pieces);
            for (int p = 0; p < pieces.size() && ids.size() < limit; p += 3) {
                int id = pieces.get(p + 2);
                if (id == AddedVocabulary.TEXT) {
                    appendText(text.substring(pieces.get(p), pieces.get(p + 1)), ids, scratch, limit);
                } else {
                    ids.add(id);
                }
            }
        }
        boolean truncated = ids.size() > budget;
        int kept = Math.min(ids.size(), budget);
        int[] prefix = template.prefix();
        int[] suffix = template.suffix();
        int[] out = new int[prefix.length + kept + suffix.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        ids.copyTo(kept, out, prefix.length);
        System.arraycopy(suffix, 0, out, prefix.length + kept, suffix.length);
        return new Encoding(out, truncated);
    }

    /** Normalizes raw text (no raw added token inside) and appends its ids, up to {@code limit}. */
    private void appendText(String text, IntList ids, IntList scratch, int limit) {
        String normalized = normalizer == null ? text : normalizer.normalize(text);
        if (normalizedAddedTokens.isEmpty()) {
            appendWords(normalized, 0, normalized.length(), ids, scratch, limit);
            return;
        }
        IntList pieces = new IntList(6);
        normalizedAddedTokens.split(normalized, pieces);
        for (int p = 0; p < pieces.size() && ids.size() < limit; p += 3) {
            int id = pieces.get(p + 2);
            if (id == AddedVocabulary.TEXT) {
                appendWords(normalized, pieces.get(p), pieces.get(p + 1), ids, scratch, limit);
            } else {
                ids.add(id);
            }
        }
    }

    /** Pre-tokenizes normalized {@code text[from, to)} and appends the pieces of each word. */
    private void appendWords(String text, int from, int to, IntList ids, IntList words, int limit) {
        if (preTokenizer == null) {
            if (from < to) {
                model.tokenize(text, from, to, ids);
            }
            return;
        }
        words.truncate(0);
        preTokenizer.split(text, from, to, words);
        for (int w = 0; w < words.size() && ids.size() < limit; w += 2) {
            model.tokenize(text, words.get(w), words.get(w + 1), ids);
        }
    }

    /** The vocabulary, token text by id (for term-level uses such as sparse retrieval features). */
    public String[] vocabulary() {
        return model.tokens();
    }

    /** Whether {@code id} is one of the special tokens the post-processor adds ([CLS], [SEP]). */
    public boolean isSpecial(int id) {
        for (int p : template.prefix()) if (p == id) return true;
        for (int p : template.suffix()) if (p == id) return true;
        return id == padId;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public int padId() {
        return padId;
    }

    @Override
    public WordPieceTokenizer withMaxLength(int maxLength) {
        return new WordPieceTokenizer(rawAddedTokens, normalizedAddedTokens, normalizer, preTokenizer, model,
                template, padId, maxLength);
    }
}
