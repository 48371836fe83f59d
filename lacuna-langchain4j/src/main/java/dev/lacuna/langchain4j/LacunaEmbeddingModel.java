// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.langchain4j;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.load.AttentionPlans;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.model.Pooling;
import dev.lacuna.tokenizer.Encoding;
import dev.lacuna.tokenizer.Tokenizer;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.DimensionAwareEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A langchain4j {@link dev.langchain4j.model.embedding.EmbeddingModel} that runs a Lacuna model in
 * process: the embedded default (all-MiniLM-L6-v2), {@code bge-small-q}, an ONNX file, or a Lacuna model
 * directory (pruned by {@code lacuna sparsify}, int8, with or without an attention plan).
 *
 * <pre>{@code
 * try (LacunaEmbeddingModel model = LacunaEmbeddingModel.builder().model("sparsified/model").threads(2).build()) {
 *     Embedding e = model.embed("a sentence").content();
 * }
 * }</pre>
 *
 * <p>Segments are tokenized, sorted by length and packed into batches of {@link Builder#batchSize}
 * without padding, as {@code lacuna embed} does; embeddings are L2-normalised and come back in input
 * order. {@link #dimension()} is the model's hidden size and runs nothing.
 *
 * <p><b>Texts longer than the model's maximum</b> ({@link LongTextPolicy}): by default they are cut at
 * the model's maximum sequence length, as sentence-transformers does (256 tokens for all-MiniLM-L6-v2),
 * so an embedding is the one the model's authors evaluated; langchain4j's own in-process models instead
 * split the tokens into windows and average their embeddings, which {@link LongTextPolicy#AVERAGE_WINDOWS}
 * does too. Split long documents into segments before embedding them (langchain4j's document
 * splitters) either way: one vector for a whole chapter retrieves poorly.
 *
 * <p>Thread-safe. The model owns a team of worker threads: {@link #close()} stops them.
 */
public final class LacunaEmbeddingModel extends DimensionAwareEmbeddingModel implements AutoCloseable {
    /** What happens to a text with more tokens than the model's maximum. */
    public enum LongTextPolicy {
        /** Cut at the model's maximum (sentence-transformers' behaviour, the default). */
        TRUNCATE,
        /**
         * Split into windows of the model's maximum, embed each, average the window embeddings weighted by
         * their token counts and L2-normalise (langchain4j's in-process models' behaviour).
         */
        AVERAGE_WINDOWS
    }

    private final LoadedModel loaded;
    private final SentenceEncoder encoder;
    private final Tokenizer untruncated;
    private final Parallel team;
    private final int batchSize;
    private final LongTextPolicy longTexts;

    private LacunaEmbeddingModel(LoadedModel loaded, int threads, int batchSize, LongTextPolicy longTexts) {
        this.loaded = loaded;
        this.encoder = loaded.encoder();
        this.untruncated = encoder.tokenizer().withMaxLength(Integer.MAX_VALUE);
        this.team = new Parallel(threads);
        this.batchSize = batchSize;
        this.longTexts = longTexts;
        this.dimension = encoder.model().config().hiddenSize();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What this model runs, e.g. {@code embedded all-minilm-l6-v2.onnx + attention plan plan.yaml}. */
    public String source() {
        return loaded.source();
    }

    @Override
    public String modelName() {
        return loaded.name();
    }

    @Override
    protected Integer knownDimension() {
        return dimension;
    }

    /** The model's maximum number of tokens per text, special tokens included. */
    public int maxTokens() {
        return encoder.tokenizer().maxLength();
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        if (segments == null) throw new IllegalArgumentException("segments is null");
        List<String> texts = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            TextSegment s = segments.get(i);
            if (s == null || s.text() == null) throw new IllegalArgumentException("segment " + i + " is null");
            texts.add(s.text());
        }
        if (texts.isEmpty()) return Response.from(List.of(), new TokenUsage(0));
        List<Encoding> windows = new ArrayList<>(texts.size());
        int[] owner = new int[texts.size()];   // grows when texts are split into windows
        int count = 0, tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            List<Encoding> parts = longTexts == LongTextPolicy.TRUNCATE ? List.of(encoder.tokenizer().encode(texts.get(i))) : windows(texts.get(i));
            for (Encoding e : parts) {
                if (count == owner.length) owner = Arrays.copyOf(owner, owner.length * 2);
                owner[count++] = i;
                windows.add(e);
                tokens += e.length();
            }
        }
        float[][] vecs = encoder.embedEncodings(team, windows, batchSize, null);
        List<Embedding> out = new ArrayList<>(texts.size());
        if (count == texts.size()) {
            for (float[] v : vecs) out.add(Embedding.from(v));
        } else {
            float[][] sum = new float[texts.size()][dimension];
            for (int w = 0; w < count; w++) {
                float weight = windows.get(w).length();
                float[] s = sum[owner[w]], v = vecs[w];
                for (int j = 0; j < v.length; j++) s[j] += weight * v[j];
            }
            for (float[] s : sum) {
                Pooling.l2Normalize(s);
                out.add(Embedding.from(s));
            }
        }
        return Response.from(out, new TokenUsage(tokens));
    }

    /**
     * The text's tokens in windows of at most {@link #maxTokens()}, each wrapped in the model's first and
     * last special tokens ([CLS] .. [SEP]); one window when the text fits.
     */
    List<Encoding> windows(String text) {
        Encoding full = untruncated.encode(text);
        int max = maxTokens();
        if (full.length() <= max) return List.of(encoder.tokenizer().encode(text));
        int[] ids = full.ids();
        int first = ids[0], last = ids[ids.length - 1], inner = max - 2;
        List<Encoding> out = new ArrayList<>();
        for (int s = 1; s < ids.length - 1; s += inner) {
            int e = Math.min(ids.length - 1, s + inner);
            int[] w = new int[e - s + 2];
            w[0] = first;
            System.arraycopy(ids, s, w, 1, e - s);
            w[w.length - 1] = last;
            out.add(new Encoding(w, false));
        }
        return out;
    }

    /** Stops the worker threads; embedding afterwards still works, on the calling thread. */
    @Override
    public void close() {
        team.close();
    }

    /** Options of a {@link LacunaEmbeddingModel}; every one has a default. */
    public static final class Builder {
        private String model = "default";
        private LoadedModel loaded;
        private Path attentionPlan;
        private boolean force;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int batchSize = 32;
        private LongTextPolicy longTexts = LongTextPolicy.TRUNCATE;
        private Consumer<String> warnings = line -> System.err.println("lacuna: warning: " + line);

        private Builder() {}

        /**
         * {@code default} (all-MiniLM-L6-v2, embedded), {@code bge-small-q}, a {@code .onnx} file with its
         * tokenizer.json beside it, or a model directory (config.json + model.safetensors, e.g. the output
         * of {@code lacuna sparsify}).
         */
        public Builder model(String model) {
            this.model = model;
            this.loaded = null;
            return this;
        }

        /** A directory or ONNX file, as {@link #model(String)}. */
        public Builder model(Path model) {
            return model(model.toString());
        }

        /** A model already loaded (for instance one pruned in process). */
        public Builder model(LoadedModel model) {
            this.loaded = model;
            return this;
        }

        /** Attention by a per-head plan from {@code lacuna attention calibrate}, checked to be written for the model. */
        public Builder attentionPlan(Path plan) {
            this.attentionPlan = plan;
            return this;
        }

        /** Apply an attention plan written for another model (a warning instead of an error). */
        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        /** Worker threads of the forward pass (default: all cores). */
        public Builder threads(int threads) {
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            this.threads = threads;
            return this;
        }

        /** Texts per packed batch (default 32). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** What happens to texts longer than the model's maximum (default {@link LongTextPolicy#TRUNCATE}). */
        public Builder longTexts(LongTextPolicy policy) {
            if (policy == null) throw new IllegalArgumentException("policy is null");
            this.longTexts = policy;
            return this;
        }

        /** Where warnings go (default: stderr, one line each). */
        public Builder warnings(Consumer<String> warnings) {
            this.warnings = warnings;
            return this;
        }

        /**
         * Loads the model.
         *
         * @throws LacunaException when the model or plan cannot be read (a one-line message)
         */
        public LacunaEmbeddingModel build() {
            LoadedModel lm = loaded != null ? loaded : ModelLoader.load(model);
            if (attentionPlan != null) lm = AttentionPlans.apply(lm, attentionPlan, force, warnings);
            return new LacunaEmbeddingModel(lm, threads, batchSize, longTexts);
        }
    }
}
