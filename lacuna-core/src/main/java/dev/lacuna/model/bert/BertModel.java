// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.model.bert;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.AttentionKernel;
import dev.lacuna.attention.AttentionPlan;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.DenseLinear;
import dev.lacuna.kernel.Epilogue;
import dev.lacuna.kernel.FusedProjections;
import dev.lacuna.kernel.Linear;
import dev.lacuna.kernel.Ops;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.Profile;
import dev.lacuna.tensor.FloatTensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BERT-family encoder: embeddings, N post-LayerNorm layers of multi-head attention and a GELU
 * feed-forward block. Immutable; {@link #withLinears} and {@link #withAttention} make new models.
 *
 * <p>Shapes: B sequences, T packed tokens (no padding: sequences sit back to back), C hidden,
 * H heads of D = C / H, I intermediate, V vocabulary, P positions.
 */
public final class BertModel {
    private final BertConfig config;
    private final float[] wordEmb;  // [V, C]
    private final float[] posEmb;   // [P, C]
    private final float[] typeEmb;  // [types, C]; row 0 is added to every token
    private final float[] embLnW;   // [C]
    private final float[] embLnB;   // [C]
    private final BertLayer[] layers;
    /** Q, K and V of each layer as one GEMM where all three are dense ({@link FusedProjections}), else null. */
    private final FusedProjections[] qkv;
    private final AttentionPlan attention;

    private BertModel(BertConfig config, float[] wordEmb, float[] posEmb, float[] typeEmb, float[] embLnW,
                      float[] embLnB, BertLayer[] layers, AttentionPlan attention) {
        this(config, wordEmb, posEmb, typeEmb, embLnW, embLnB, layers, attention, fuse(layers));
    }

    private static FusedProjections[] fuse(BertLayer[] layers) {
        FusedProjections[] f = new FusedProjections[layers.length];
        for (int i = 0; i < layers.length; i++) f[i] = FusedProjections.of(layers[i].query(), layers[i].key(), layers[i].value());
        return f;
    }

    private BertModel(BertConfig config, float[] wordEmb, float[] posEmb, float[] typeEmb, float[] embLnW,
                      float[] embLnB, BertLayer[] layers, AttentionPlan attention, FusedProjections[] qkv) {
        this.config = config;
        this.wordEmb = wordEmb;
        this.posEmb = posEmb;
        this.typeEmb = typeEmb;
        this.embLnW = embLnW;
        this.embLnB = embLnB;
        this.layers = layers;
        this.qkv = qkv;
        this.attention = attention;
    }

    /** Builds a dense model from tensors named as in Hugging Face BERT (no {@code bert.} prefix). */
    public static BertModel fromTensors(BertConfig cfg, Map<String, FloatTensor> t) {
        int c = cfg.hiddenSize(), in = cfg.intermediateSize();
        float[] word = get(t, "embeddings.word_embeddings.weight", cfg.vocabSize(), c);
        float[] pos = get(t, "embeddings.position_embeddings.weight", cfg.maxPositionEmbeddings(), c);
        float[] type = cfg.typeVocabSize() > 0 ? get(t, "embeddings.token_type_embeddings.weight", cfg.typeVocabSize(), c)
                : new float[c];
        float[] lnW = get(t, "embeddings.LayerNorm.weight", c);
        float[] lnB = get(t, "embeddings.LayerNorm.bias", c);
        BertLayer[] layers = new BertLayer[cfg.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "encoder.layer." + i + ".";
            layers[i] = new BertLayer(
                    linear(t, p + "attention.self.query", c, c),
                    linear(t, p + "attention.self.key", c, c),
                    linear(t, p + "attention.self.value", c, c),
                    linear(t, p + "attention.output.dense", c, c),
                    get(t, p + "attention.output.LayerNorm.weight", c), get(t, p + "attention.output.LayerNorm.bias", c),
                    linear(t, p + "intermediate.dense", in, c),
                    linear(t, p + "output.dense", c, in),
                    get(t, p + "output.LayerNorm.weight", c), get(t, p + "output.LayerNorm.bias", c));
        }
        return new BertModel(cfg, word, pos, type, lnW, lnB, layers, AttentionPlan.dense());
    }

    private static float[] get(Map<String, FloatTensor> t, String name, int... shape) {
        FloatTensor x = t.get(name);
        if (x == null) throw new LacunaException("missing tensor " + name);
        if (!Arrays.equals(x.shape(), shape)) {
            throw new LacunaException("tensor " + name + " has shape " + x.shapeString() + ", expected " + Arrays.toString(shape));
        }
        return x.data();
    }

    private static Linear linear(Map<String, FloatTensor> t, String name, int out, int in) {
        float[] w = get(t, name + ".weight", out, in);
        float[] b = get(t, name + ".bias", out);
        return new DenseLinear(new FloatTensor(new int[] {out, in}, w), new FloatTensor(new int[] {out}, b));
    }

    public BertConfig config() {
        return config;
    }

    public int layerCount() {
        return layers.length;
    }

    public BertLayer layer(int i) {
        return layers[i];
    }

    public AttentionPlan attention() {
        return attention;
    }

    /** Every projection by name, in forward order. */
    public Map<String, Linear> linears() {
        Map<String, Linear> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.length; i++) {
            String[] names = BertLayer.linearNames(i);
            Linear[] ls = layers[i].linears();
            for (int j = 0; j < names.length; j++) m.put(names[j], ls[j]);
        }
        return m;
    }

    /** A new model whose projections named in {@code replace} are swapped; shapes must match. */
    public BertModel withLinears(Map<String, Linear> replace) {
        Map<String, Linear> left = new LinkedHashMap<>(replace);
        BertLayer[] nl = layers.clone();
        for (int i = 0; i < layers.length; i++) {
            String[] names = BertLayer.linearNames(i);
            Linear[] ls = layers[i].linears();
            for (int j = 0; j < names.length; j++) {
                Linear r = left.remove(names[j]);
                if (r == null) continue;
                if (r.inFeatures() != ls[j].inFeatures() || r.outFeatures() != ls[j].outFeatures()) {
                    throw new LacunaException(names[j] + ": replacement is " + r.outFeatures() + "x" + r.inFeatures()
                            + ", layer is " + ls[j].outFeatures() + "x" + ls[j].inFeatures());
                }
                ls[j] = r;
            }
            nl[i] = layers[i].withLinears(ls);
        }
        if (!left.isEmpty()) throw new LacunaException("no such layer: " + left.keySet().iterator().next());
        return new BertModel(config, wordEmb, posEmb, typeEmb, embLnW, embLnB, nl, attention);
    }

    /** A new model that asks {@code plan} for its attention kernels. */
    public BertModel withAttention(AttentionPlan plan) {
        plan.checkFits(layerCount(), config.numAttentionHeads());
        return new BertModel(config, wordEmb, posEmb, typeEmb, embLnW, embLnB, layers, plan, qkv);
    }

    /** Every tensor of the model by Hugging Face name, dense (pruned weights appear with zeros). */
    public Map<String, FloatTensor> tensors() {
        int c = config.hiddenSize();
        Map<String, FloatTensor> m = new LinkedHashMap<>();
        m.put("embeddings.word_embeddings.weight", new FloatTensor(new int[] {config.vocabSize(), c}, wordEmb));
        m.put("embeddings.position_embeddings.weight", new FloatTensor(new int[] {config.maxPositionEmbeddings(), c}, posEmb));
        if (config.typeVocabSize() > 0) {
            m.put("embeddings.token_type_embeddings.weight", new FloatTensor(new int[] {config.typeVocabSize(), c}, typeEmb));
        }
        m.put("embeddings.LayerNorm.weight", new FloatTensor(new int[] {c}, embLnW));
        m.put("embeddings.LayerNorm.bias", new FloatTensor(new int[] {c}, embLnB));
        for (int i = 0; i < layers.length; i++) {
            String p = "encoder.layer." + i + ".";
            BertLayer l = layers[i];
            String[] names = BertLayer.linearNames(i);
            Linear[] ls = l.linears();
            for (int j = 0; j < names.length; j++) {
                m.put(names[j] + ".weight", ls[j].weight());
                if (ls[j].bias() != null) m.put(names[j] + ".bias", ls[j].bias());
            }
            m.put(p + "attention.output.LayerNorm.weight", new FloatTensor(new int[] {c}, l.attnLnW()));
            m.put(p + "attention.output.LayerNorm.bias", new FloatTensor(new int[] {c}, l.attnLnB()));
            m.put(p + "output.LayerNorm.weight", new FloatTensor(new int[] {c}, l.ffnLnW()));
            m.put(p + "output.LayerNorm.bias", new FloatTensor(new int[] {c}, l.ffnLnB()));
        }
        return m;
    }

    /**
     * Runs the encoder.
     *
     * @return last hidden state [T, C], rows in the batch's packed order
     */
    public float[] forward(Parallel par, Batch batch, Hooks hooks) {
        return forward(par, batch, hooks, null);
    }

    /** {@link #forward(Parallel, Batch, Hooks)}, charging time per part to {@code prof} when not null (hooks are not charged). */
    public float[] forward(Parallel team, Batch batch, Hooks hooks, Profile prof) {
        // Below this many tokens every op is a few microseconds of work, and handing it to a second
        // thread costs more than it saves (measured: batch 1, 16 tokens, 8.5 ms on one thread vs
        // 12.6-150 ms on two, the worse the busier the machine). Results are identical either way:
        // the kernels partition work so that each output has one summation order.
        final Parallel par = batch.tokens() < SERIAL_BELOW_TOKENS ? SERIAL : team;
        final int c = config.hiddenSize(), inter = config.intermediateSize();
        final int h = config.numAttentionHeads(), d = config.headDim();
        final int t = batch.tokens();
        final int[] starts = batch.seqStarts();
        final float eps = (float) config.layerNormEps();
        for (int s = 0; s < batch.sequences(); s++) {
            if (batch.length(s) > config.maxPositionEmbeddings()) {
                throw new LacunaException("sequence of " + batch.length(s) + " tokens exceeds the model's "
                        + config.maxPositionEmbeddings() + " positions");
            }
        }

        float[] x = new float[t * c];      // residual stream [T, C], returned
        Workspace ws = WORKSPACE.get().ensure(t * c, t * inter);
        float[] q = ws.q;                  // [T, C]
        float[] k = ws.k;                  // [T, C]
        float[] v = ws.v;                  // [T, C]
        float[] z = ws.z;                  // attention output before projection [T, C]
        float[] ff = ws.ff;                // [T, I]

        try (var _ = Profile.time(prof, "embeddings")) {
            embed(batch, x);
            Ops.layerNorm(par, x, t, c, embLnW, embLnB, eps);
        }
        hooks.fire("embed", x, t, c, starts);

        float scale = (float) (1.0 / Math.sqrt(d));
        for (int li = 0; li < layers.length; li++) {
            BertLayer l = layers[li];
            String p = "layer." + li + ".";
            hooks.fire(p + "resid_pre", x, t, c, starts);
            try (var _ = Profile.time(prof, "qkv_linear")) {
                if (qkv[li] != null) {
                    qkv[li].apply(par, x, t, q, k, v);
                } else {
                    l.query().apply(par, x, t, q);
                    l.key().apply(par, x, t, k);
                    l.value().apply(par, x, t, v);
                }
            }
            try (var _ = Profile.time(prof, "attention")) {
                attend(par, li, q, k, v, z, starts, c, h, d, scale);
            }
            hooks.fire(p + "attn_z", z, t, c, starts);
            try (var _ = Profile.time(prof, "attn_out_linear")) {
                l.attnOut().apply(par, z, t, q);          // q reused as the projection's output
            }
            hooks.fire(p + "attn_out", q, t, c, starts);
            try (var _ = Profile.time(prof, "residual_layernorm")) {
                Ops.addLayerNorm(par, x, q, t, c, l.attnLnW(), l.attnLnB(), eps);
            }
            hooks.fire(p + "resid_mid", x, t, c, starts);
            try (var _ = Profile.time(prof, "ffn_in_linear_gelu")) {
                if (config.hiddenAct().equals("gelu")) {
                    l.ffnIn().apply(par, x, t, ff, Epilogue.GELU);   // GELU fused into the GEMM's store
                } else {
                    l.ffnIn().apply(par, x, t, ff);
                    activate(par, ff, t * inter);
                }
            }
            hooks.fire(p + "mlp_act", ff, t, inter, starts);
            try (var _ = Profile.time(prof, "ffn_out_linear")) {
                l.ffnOut().apply(par, ff, t, q);
            }
            hooks.fire(p + "mlp_out", q, t, c, starts);
            try (var _ = Profile.time(prof, "residual_layernorm")) {
                Ops.addLayerNorm(par, x, q, t, c, l.ffnLnW(), l.ffnLnB(), eps);
            }
            hooks.fire(p + "resid_post", x, t, c, starts);
        }
        return x;
    }

    /**
     * Batches with fewer tokens than this run on the calling thread alone; {@code -Dlacuna.serialBelowTokens=N}.
     * The default, 1, runs every batch on the team: with chunks claimed by whoever is free
     * ({@link Parallel#forChunks}) a single STS-B sentence runs 1.45x faster on two threads than on
     * one (docs/BENCHMARKS.md). A larger N is for hosts where waking the team costs more than the work.
     */
    static final int SERIAL_BELOW_TOKENS = Math.max(1, Integer.getInteger("lacuna.serialBelowTokens", 1));
    private static final Parallel SERIAL = Parallel.serial();

    /** Scratch activations reused across forward calls on one thread (kernels never allocate per batch). */
    private static final class Workspace {
        float[] q = new float[0], k = q, v = q, z = q, ff = q;

        Workspace ensure(int tc, int ti) {
            if (q.length < tc) {
                int n = Math.max(tc, q.length * 3 / 2);
                q = new float[n];
                k = new float[n];
                v = new float[n];
                z = new float[n];
            }
            if (ff.length < ti) ff = new float[Math.max(ti, ff.length * 3 / 2)];
            return this;
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** x[T, C] = word[id] + position[index in sequence] + type[0]. */
    private void embed(Batch batch, float[] x) {
        int c = config.hiddenSize();
        int[] ids = batch.ids();
        for (int s = 0; s < batch.sequences(); s++) {
            int start = batch.seqStarts()[s], len = batch.length(s);
            for (int i = 0; i < len; i++) {
                int id = ids[start + i];
                if (id < 0 || id >= config.vocabSize()) throw new LacunaException("token id " + id + " outside vocabulary of " + config.vocabSize());
                int o = (start + i) * c, wo = id * c, po = i * c;
                for (int j = 0; j < c; j++) x[o + j] = wordEmb[wo + j] + posEmb[po + j] + typeEmb[j];
            }
        }
    }

    /** Activations other than exact GELU (which is fused into the FFN GEMM). */
    private void activate(Parallel par, float[] a, int n) {
        switch (config.hiddenAct()) {
            case "relu" -> par.forRange(n, 4096, (s, e) -> {
                for (int i = s; i < e; i++) a[i] = Math.max(0f, a[i]);
            });
            case "gelu_new" -> par.forRange(n, 4096, (s, e) -> {
                for (int i = s; i < e; i++) {
                    double v = a[i];
                    a[i] = (float) (0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
                }
            });
            default -> Ops.gelu(par, a, n);
        }
    }

    /** z[T, C] = per sequence and head, attention(q, k, v) by the plan's kernel. */
    private void attend(Parallel par, int layer, float[] q, float[] k, float[] v, float[] z, int[] starts,
                        int c, int h, int d, float scale) {
        int seqs = starts.length - 1;
        // (sequence, head) items cost len² each and packed sequences differ in length: chunks of a few
        // items go to whichever thread is free instead of one even share of items per thread
        int items = seqs * h;
        par.forChunks(items, Math.max(1, items / (8 * par.threads())), (s, e) -> {
            float[] scratch = null;
            for (int w = s; w < e; w++) {
                int seq = w / h, head = w % h;
                int start = starts[seq], len = starts[seq + 1] - start;
                AttentionKernel kern = attention.kernel(layer, head);
                int need = kern.scratchSize(len, d);
                if (scratch == null || scratch.length < need) scratch = new float[Math.max(need, 256)];
                kern.attend(q, k, v, z, c, start, len, head * d, d, scale, scratch);
            }
        });
    }
}
