// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.LacunaException;
import dev.lacuna.io.TempSibling;
import dev.lacuna.attention.AttentionKernel;
import dev.lacuna.attention.AttentionPlan;
import dev.lacuna.attention.FlashAttention;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.tokenizer.Tokenizer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
/**
 * The q, k and v a model's attention layers see, captured through the attention seam: a plan whose
 * kernels copy their inputs, then compute exact attention so later layers see the true activations.
 *
 * <p>Shapes: T packed tokens of all windows, C = H x D. q, k, v of layer l are [T, C].
 */
public final class AttentionCapture {
    /**
     * Captured activations.
     *
     * @param q         [layers][T * C]
     * @param k         [layers][T * C]
     * @param v         [layers][T * C]
     * @param seqStarts [windows + 1] row offsets of the windows
     */
    public record Captured(float[][] q, float[][] k, float[][] v, int[] seqStarts, int heads, int headDim) {
        public int tokens() {
            return seqStarts[seqStarts.length - 1];
        }

        public int windows() {
            return seqStarts.length - 1;
        }

        public int layers() {
            return q.length;
        }
    }

    private AttentionCapture() {}

    /**
     * Cuts text into windows of {@code windowTokens} token ids: [CLS] + consecutive lines' word pieces
     * + [SEP], every window full except when the text runs out.
     *
     * @param lines text lines; blank lines and lines starting with '=' (WikiText headings) are skipped
     * @param count windows wanted; fewer come back when the text is too short
     */
    public static List<int[]> windows(Tokenizer tokenizer, List<String> lines, int windowTokens, int count) {
        if (windowTokens < 3) throw new LacunaException("window must hold at least 3 tokens, got " + windowTokens);
        Tokenizer tok = tokenizer.withMaxLength(Math.max(tokenizer.maxLength(), 4096));
        int[] empty = tok.encode("").ids();
        if (empty.length != 2) throw new LacunaException("tokenizer does not add exactly [CLS] and [SEP]");
        int cls = empty[0], sep = empty[1];
        List<int[]> out = new ArrayList<>();
        int body = windowTokens - 2;
        int[] cur = new int[body];
        int fill = 0;
        for (String line : lines) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("=")) continue;
            int[] ids = tok.encode(s).ids();
            for (int i = 1; i < ids.length - 1; i++) {
                cur[fill++] = ids[i];
                if (fill == body) {
                    out.add(frame(cls, cur, fill, sep));
                    if (out.size() == count) return out;
                    fill = 0;
                }
            }
        }
        if (fill > 0 && out.size() < count) out.add(frame(cls, cur, fill, sep));
        return out;
    }

    private static int[] frame(int cls, int[] body, int n, int sep) {
        int[] w = new int[n + 2];
        w[0] = cls;
        System.arraycopy(body, 0, w, 1, n);
        w[n + 1] = sep;
        return w;
    }

    /**
     * Runs layers 0..lastLayer of {@code model} on each window (one window per sequence, a few
     * windows per batch) and captures q, k, v of every layer up to lastLayer.
     */
    public static Captured capture(BertModel model, Parallel par, List<int[]> windows, int lastLayer) {
        BertConfig c = model.config();
        if (lastLayer < 0 || lastLayer >= c.numHiddenLayers()) {
            throw new LacunaException("layer " + lastLayer + " does not exist: the model has layers 0.." + (c.numHiddenLayers() - 1));
        }
        for (int[] w : windows) {
            if (w.length > c.maxPositionEmbeddings()) {
                throw new LacunaException("a window of " + w.length + " tokens exceeds the model's " + c.maxPositionEmbeddings() + " positions");
            }
        }
        BertConfig cut = new BertConfig(c.vocabSize(), c.hiddenSize(), lastLayer + 1, c.numAttentionHeads(),
                c.intermediateSize(), c.maxPositionEmbeddings(), c.typeVocabSize(), c.layerNormEps(), c.hiddenAct());
        BertModel truncated = BertModel.fromTensors(cut, model.tensors());
        int width = c.hiddenSize();
        int[] starts = new int[windows.size() + 1];
        for (int i = 0; i < windows.size(); i++) starts[i + 1] = starts[i] + windows.get(i).length;
        int t = starts[windows.size()];
        int layers = lastLayer + 1;
        float[][] q = new float[layers][(int) Math.min(Integer.MAX_VALUE, (long) t * width)];
        float[][] k = new float[layers][q[0].length];
        float[][] v = new float[layers][q[0].length];
        int perBatch = 4;
        for (int b = 0; b < windows.size(); b += perBatch) {
            int e = Math.min(windows.size(), b + perBatch);
            int rowBase = starts[b];
            Recorder rec = new Recorder(q, k, v, rowBase, width);
            truncated.withAttention(rec).forward(par, Batch.of(windows.subList(b, e).toArray(new int[0][])), Hooks.NONE);
        }
        return new Captured(q, k, v, starts, c.numAttentionHeads(), c.headDim());
    }

    /**
     * The input of every layer's first LayerNorm with dense attention, u = layer input + attention
     * output (after the output projection), [layers][T * C], windows packed in order as by {@link #capture}.
     */
    public static float[][] preNorm(BertModel model, Parallel par, List<int[]> windows) {
        int layers = model.layerCount(), width = model.config().hiddenSize();
        Batch batch = Batch.of(windows.toArray(new int[0][]));
        float[][] u = new float[layers][batch.tokens() * width];
        Hooks hooks = new Hooks();
        for (int l = 0; l < layers; l++) {
            float[] dst = u[l];
            hooks.add("layer." + l + ".resid_pre", (pt, act, tokens, w, starts) -> System.arraycopy(act, 0, dst, 0, tokens * w));
            hooks.add("layer." + l + ".attn_out", (pt, act, tokens, w, starts) -> {
                for (int i = 0; i < tokens * w; i++) dst[i] += act[i];
            });
        }
        model.withAttention(dev.lacuna.attention.AttentionPlan.dense()).forward(par, batch, hooks);
        return u;
    }

    /** A plan that copies each sequence's q, k, v rows (all heads) when head 0 sees them. */
    private record Recorder(float[][] q, float[][] k, float[][] v, int rowBase, int width) implements AttentionPlan {
        @Override
        public AttentionKernel kernel(int layer, int head) {
            FlashAttention exact = new FlashAttention();
            return new AttentionKernel() {
                @Override
                public String name() {
                    return "capture";
                }

                @Override
                public void attend(float[] qq, float[] kk, float[] vv, float[] out, int stride, int start, int length,
                                   int col, int headDim, float scale, float[] scratch) {
                    if (head == 0) {
                        int dst = (rowBase + start) * width;
                        System.arraycopy(qq, start * stride, q[layer], dst, length * stride);
                        System.arraycopy(kk, start * stride, k[layer], dst, length * stride);
                        System.arraycopy(vv, start * stride, v[layer], dst, length * stride);
                    }
                    exact.attend(qq, kk, vv, out, stride, start, length, col, headDim, scale, scratch);
                }

                @Override
                public int scratchSize(int length, int headDim) {
                    return 0;
                }
            };
        }
    }

    /** Windows per cache file: a longer request reuses the files of a shorter one. */
    public static final int CACHE_CHUNK = 8;

    /**
     * q, k, v of one layer for at least the first {@code windows} windows (whole chunks), from
     * {@code cacheDir} where earlier runs stored them (files of {@link #CACHE_CHUNK} windows, keyed by
     * {@code key} and the layer), capturing and storing the chunks that are missing.
     *
     * @param capture captures windows [from, to) (at least up to the layer)
     * @return {q, k, v}, each [T, C], T covering whole chunks
     */
    public static float[][] cachedLayer(Path cacheDir, String key, int layer, int windows,
                                        java.util.function.BiFunction<Integer, Integer, Captured> capture) {
        List<float[][]> parts = new ArrayList<>();
        long total = 0;
        for (int c = 0; c * CACHE_CHUNK < windows; c++) {
            Path file = cacheDir.resolve(key + "-L" + layer + "-c" + c + ".qkv");
            float[][] part = read(file);
            if (part == null) {
                Captured cap = capture.apply(c * CACHE_CHUNK, (c + 1) * CACHE_CHUNK); // whole chunks, so they can be reused
                for (int l = 0; l < cap.layers(); l++) { // the layers below come for free: keep them too
                    float[][] p = {cap.q()[l], cap.k()[l], cap.v()[l], {cap.windows()}};
                    write(cacheDir.resolve(key + "-L" + l + "-c" + c + ".qkv"), p);
                    if (l == layer) part = p;
                }
            }
            parts.add(part);
            total += part[0].length;
        }
        if (total > Integer.MAX_VALUE - 8) throw new LacunaException("captured q/k/v of " + windows + " windows do not fit one array");
        float[][] r = new float[3][(int) total];
        int at = 0;
        for (float[][] p : parts) {
            for (int a = 0; a < 3; a++) System.arraycopy(p[a], 0, r[a], at, p[a].length);
            at += p[0].length;
        }
        return r;
    }

    /** {q, k, v, {windows}} of a cache file, or null when there is none. */
    private static float[][] read(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            int w = in.readInt(), n = in.readInt();
            float[][] r = new float[4][];
            for (int a = 0; a < 3; a++) {
                r[a] = new float[n];
                for (int i = 0; i < n; i++) r[a][i] = in.readFloat();
            }
            r[3] = new float[] {w};
            return r;
        } catch (IOException e) {
            throw new LacunaException(file + ": cannot read the q/k/v cache (" + e.getMessage() + "); delete it");
        }
    }

    private static void write(Path file, float[][] part) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = TempSibling.createFile(file);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
                out.writeInt((int) part[3][0]);
                out.writeInt(part[0].length);
                for (int a = 0; a < 3; a++) for (float x : part[a]) out.writeFloat(x);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // a cache that cannot be written only costs time
        }
    }
}
