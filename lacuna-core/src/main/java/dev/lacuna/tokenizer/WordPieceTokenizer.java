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

    /**
     * What {@link #encode} gives, with each id's place in the text: the whitespace-delimited chunks of the
     * normalized text (lower-cased, accents stripped when the normalizer does so), as a word-level analyser
     * sees them. Used to group WordPiece tokens into analysed words (inference-free sparse retrieval).
     *
     * @param encoding exactly {@code encode(text)}
     * @param chunkOf  [encoding.length()] index in {@code chunks} of each id's chunk; -1 for special and added tokens
     * @param chunks   every chunk of the normalized text in order, those past the truncation included
     */
    public record Chunks(Encoding encoding, int[] chunkOf, String[] chunks) {}

    /** {@link #encode} with each id's chunk of the normalized text ({@link Chunks}). */
    public Chunks chunks(String text) {
        IntList ids = new IntList(text.length() / 4 + 8);
        IntList chunkOf = new IntList(text.length() / 4 + 8);
        java.util.List<String> chunks = new java.util.ArrayList<>();
        if (rawAddedTokens.isEmpty()) {
            chunkText(text, ids, chunkOf, chunks);
        } else {
            IntList pieces = new IntList(6);
            rawAddedTokens.split(text, pieces);
            for (int p = 0; p < pieces.size(); p += 3) {
                int id = pieces.get(p + 2);
                if (id == AddedVocabulary.TEXT) {
                    chunkText(text.substring(pieces.get(p), pieces.get(p + 1)), ids, chunkOf, chunks);
                } else {
                    ids.add(id);
                    chunkOf.add(-1);
                }
            }
        }
        int budget = maxLength - template.count();
        boolean truncated = ids.size() > budget;
        int kept = Math.min(ids.size(), budget);
        int[] prefix = template.prefix();
        int[] suffix = template.suffix();
        int[] out = new int[prefix.length + kept + suffix.length];
        int[] of = new int[out.length];
        java.util.Arrays.fill(of, -1);
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        ids.copyTo(kept, out, prefix.length);
        chunkOf.copyTo(kept, of, prefix.length);
        System.arraycopy(suffix, 0, out, prefix.length + kept, suffix.length);
        return new Chunks(new Encoding(out, truncated), of, chunks.toArray(String[]::new));
    }

    private void chunkText(String text, IntList ids, IntList chunkOf, java.util.List<String> chunks) {
        String normalized = normalizer == null ? text : normalizer.normalize(text);
        if (normalizedAddedTokens.isEmpty()) {
            chunkWords(normalized, 0, normalized.length(), ids, chunkOf, chunks);
            return;
        }
        IntList pieces = new IntList(6);
        normalizedAddedTokens.split(normalized, pieces);
        for (int p = 0; p < pieces.size(); p += 3) {
            int id = pieces.get(p + 2);
            if (id == AddedVocabulary.TEXT) {
                chunkWords(normalized, pieces.get(p), pieces.get(p + 1), ids, chunkOf, chunks);
            } else {
                ids.add(id);
                chunkOf.add(-1);
            }
        }
    }

    /** Pieces of normalized {@code text[from, to)}, a new chunk wherever whitespace separates two words. */
    private void chunkWords(String text, int from, int to, IntList ids, IntList chunkOf, java.util.List<String> chunks) {
        IntList words = new IntList(16);
        if (preTokenizer == null) {
            words.add(from);
            words.add(to);
        } else {
            preTokenizer.split(text, from, to, words);
        }
        int chunkStart = -1, prevEnd = -1;
        for (int w = 0; w < words.size(); w += 2) {
            int s = words.get(w), e = words.get(w + 1);
            if (s >= e) continue;
            if (s != prevEnd) {
                if (chunkStart >= 0) chunks.add(text.substring(chunkStart, prevEnd));
                chunkStart = s;
            }
            int before = ids.size();
            model.tokenize(text, s, e, ids);
            for (int k = before; k < ids.size(); k++) chunkOf.add(chunks.size());
            prevEnd = e;
        }
        if (chunkStart >= 0) chunks.add(text.substring(chunkStart, prevEnd));
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
